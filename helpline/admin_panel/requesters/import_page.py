"""The import page: upload a CSV of requesters, check it (the dry run) or import it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.requesters.forms import ImportForm
from helpline.admin_panel.requesters.importing import MAX_BYTES, MAX_ROWS, check, import_requesters
from helpline.admin_panel.sections import SECTIONS

# The report lists this many refused rows; the count says how many there are in all.
SHOWN_REFUSALS = 200


@require_http_methods(["GET", "POST"])
@administrator_required
def requesters_import(request: AdministratorRequest) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    context: dict = {"form": form, "max_rows": MAX_ROWS, "max_mb": MAX_BYTES // (1024 * 1024)}
    context |= {"section": "requesters", "sections": SECTIONS}
    if request.method != "POST":
        return render(request, "admin_panel/requester_import.html", context)
    if not form.is_valid():
        return render(request, "admin_panel/requester_import.html", context, status=400)
    upload = form.cleaned_data["file"]
    # Read one byte more than allowed: enough to know the file is too large, never the whole of a huge one.
    data = upload.read(MAX_BYTES + 1)
    create = form.cleaned_data["create_organizations"]
    if form.cleaned_data["dry_run"]:
        report = check(data, create_organizations=create)
    else:
        report = import_requesters(actor=request.agent, data=data, create_organizations=create)
        if report.imported:
            messages.success(request, f"{report.imported} requesters imported.")
            return redirect("admin_panel:requesters")
    context |= {
        "report": report,
        "dry_run": form.cleaned_data["dry_run"],
        "refusals": report.refused[:SHOWN_REFUSALS],
    }
    return render(
        request, "admin_panel/requester_import.html", context, status=200 if report.acceptable else 400
    )
