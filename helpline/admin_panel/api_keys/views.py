"""API keys: the list (newest first), issuing a key (its credential shown once), revoking one."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from helpline.admin_panel.access import AdministratorRequest, administrator_required
from helpline.admin_panel.api_keys.changes import create_key, revoke_key
from helpline.admin_panel.api_keys.forms import ApiKeyForm
from helpline.admin_panel.sections import SECTIONS
from helpline.api.keys import InvalidKey
from helpline.api.models import ApiKey
from helpline.core.pagination import keyset_page

PAGE_SIZE = 100


def _page(request: AdministratorRequest, form: ApiKeyForm, status: int = 200, **extra) -> HttpResponse:
    page = keyset_page(
        ApiKey.objects.select_related("created_by__user"),
        field="created_at",
        descending=True,
        cursor=request.GET.get("after"),
        size=PAGE_SIZE,
    )
    context = {
        "form": form,
        "keys": page.rows,
        "next_cursor": page.next_cursor,
        "section": "api_keys",
        "sections": SECTIONS,
        **extra,
    }
    return render(request, "admin_panel/api_keys.html", context, status=status)


@require_GET
@administrator_required
def key_list(request: AdministratorRequest) -> HttpResponse:
    return _page(request, ApiKeyForm())


@never_cache
@require_POST
@administrator_required
def key_new(request: AdministratorRequest) -> HttpResponse:
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        try:
            key, raw = create_key(
                actor=request.agent,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                networks=form.cleaned_data["networks"],
                expires_at=form.expires_at(),
            )
        except InvalidKey as refusal:
            form.add_error(None, str(refusal))
        else:
            # Answered here, not redirected: the credential is on this one page and nowhere else.
            return _page(request, ApiKeyForm(), status=201, new_key=key, raw_key=raw)
    return _page(request, form, status=400)


@require_POST
@administrator_required
def key_revoke(request: AdministratorRequest, pk: int) -> HttpResponse:
    try:
        key = revoke_key(actor=request.agent, key_id=pk)
    except ApiKey.DoesNotExist:
        messages.info(request, "That key no longer exists.")
    else:
        if key is None:
            messages.info(request, "That key was revoked already.")
        else:
            messages.success(request, f"API key “{key.name}” is revoked: it is refused from now on.")
    return redirect("admin_panel:api_keys")
