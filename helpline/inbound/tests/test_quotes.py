"""trim_reply: the new part of replies from the common mail programs, in several languages; nothing lost."""

import pytest

from helpline.inbound import quotes
from helpline.inbound.quotes import trim_reply

ADDRESS = "Helpline Support <support@desk.example.test>"
HISTORY = "Hello Rita,\n\nPlease restart the printer.\n"
QUOTED = "".join(f"> {line}".rstrip() + "\n" for line in HISTORY.splitlines())

TEXT_REPLIES = {
    "gmail": f"Thanks, that fixed it.\n\nOn Mon, Mar 4, 2024 at 10:12 AM {ADDRESS} wrote:\n{QUOTED}",
    "gmail wrapped": f"Thanks, that fixed it.\n\nOn Mon, Mar 4, 2024 at 10:12 AM Helpline Support <\nsupport@desk.example.test> wrote:\n\n{QUOTED}",
    "outlook": f"Thanks, that fixed it.\n\n________________________________\nFrom: {ADDRESS}\nSent: Monday, March 4, 2024 10:12 AM\nTo: Rita\nSubject: RE: [#123456] Printer\n\n{HISTORY}",
    "outlook original message": f"Thanks, that fixed it.\n\n-----Original Message-----\nFrom: {ADDRESS}\nSent: Monday, March 4, 2024 10:12 AM\nTo: Rita\nSubject: RE: Printer\n\n{HISTORY}",
    "apple mail": f"Thanks, that fixed it.\n\nSent from my iPhone\n\n> On 4 Mar 2024, at 10:12, {ADDRESS} wrote:\n>\n{QUOTED}",
    "thunderbird": f"Thanks, that fixed it.\n\nOn 04.03.24 10:12, Helpline Support wrote:\n{QUOTED}",
    "gmail de": f"Thanks, that fixed it.\n\nAm Mo., 4. März 2024 um 10:12 Uhr schrieb Helpline Support <\nsupport@desk.example.test>:\n\n{QUOTED}",
    "outlook de": f"Thanks, that fixed it.\n\nVon: {ADDRESS}\nGesendet: Montag, 4. März 2024 10:12\nAn: Rita\nBetreff: AW: Drucker\n\n{HISTORY}",
    "thunderbird de": f"Thanks, that fixed it.\n\nAm 04.03.24 um 10:12 schrieb Helpline Support:\n{QUOTED}",
    "gmail fr": f"Thanks, that fixed it.\n\nLe lun. 4 mars 2024 à 10:12, Helpline Support <support@desk.example.test> a\nécrit :\n\n{QUOTED}",
    "outlook fr": f"Thanks, that fixed it.\n\nDe : {ADDRESS}\nEnvoyé : lundi 4 mars 2024 10:12\nÀ : Rita\nObjet : RE: Imprimante\n\n{HISTORY}",
    "gmail es": f"Thanks, that fixed it.\n\nEl lun, 4 mar 2024 a las 10:12, Helpline Support (<support@desk.example.test>)\nescribió:\n\n{QUOTED}",
    "outlook es": f"Thanks, that fixed it.\n\nDe: {ADDRESS}\nEnviado: lunes, 4 de marzo de 2024 10:12\nPara: Rita\nAsunto: RE: Impresora\n\n{HISTORY}",
    "signature": "Thanks, that fixed it.\n\n-- \nRita Example\nAccounting, floor 2\n",
}

HTML_REPLIES = {
    "gmail": '<div dir="ltr">Thanks, that fixed it.</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, Mar 4, 2024 at 10:12 AM Helpline Support &lt;support@desk.example.test&gt; wrote:<br></div><blockquote class="gmail_quote">Please restart the printer.</blockquote></div>',
    "outlook web": '<div>Thanks, that fixed it.</div><hr><div id="divRplyFwdMsg"><b>From:</b> Helpline Support<br><b>Sent:</b> Monday, March 4, 2024 10:12 AM<br><b>To:</b> Rita<br><b>Subject:</b> RE: Printer</div><div>Please restart the printer.</div>',
    "outlook desktop de": '<div class="WordSection1"><p class="MsoNormal">Thanks, that fixed it.</p><div><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>Von:</b> Helpline Support<br><b>Gesendet:</b> Montag, 4. März 2024 10:12<br><b>An:</b> Rita<br><b>Betreff:</b> AW: Drucker</p></div></div><p class="MsoNormal">Please restart the printer.</p></div>',
    "apple mail": '<html><body dir="auto">Thanks, that fixed it.<div><br><blockquote type="cite">On 4 Mar 2024, at 10:12, Helpline Support wrote:<br><br></blockquote></div><blockquote type="cite"><div>Please restart the printer.</div></blockquote></body></html>',
    "thunderbird": '<p>Thanks, that fixed it.</p><div class="moz-cite-prefix">On 04.03.24 10:12, Helpline Support wrote:<br></div><blockquote type="cite">Please restart the printer.</blockquote>',
    "gmail fr": '<div dir="ltr">Thanks, that fixed it.</div><div class="gmail_quote"><div class="gmail_attr">Le lun. 4 mars 2024 à 10:12, Helpline Support a écrit&nbsp;:<br></div><blockquote class="gmail_quote">Please restart the printer.</blockquote></div>',
}


@pytest.mark.parametrize("client", TEXT_REPLIES)
def test_the_history_and_signature_go_from_the_text(client):
    reply = trim_reply(TEXT_REPLIES[client], "")
    assert (reply.text, reply.trimmed) == ("Thanks, that fixed it.", True)


@pytest.mark.parametrize("client", HTML_REPLIES)
def test_the_history_goes_from_the_html(client):
    html = HTML_REPLIES[client]
    reply = trim_reply("", html)
    assert "Thanks, that fixed it." in reply.html
    assert "restart the printer" in html and "restart the printer" not in reply.html


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, but the printer still fails.\nAlso the scanner shows error 12.\n\nBest regards,\nRita",
        "Here is what I tried:\n- restarting\n- a new cable\nIt still fails.",
        "Please look at this.\n\n---------- Forwarded message ---------\nFrom: Bob <bob@example.test>\nDate: Mon, 4 Mar 2024\nSubject: Broken\nTo: Rita <rita@example.test>\n\nThe server is down.",
        "Please look at this.\n\nBegin forwarded message:\n\nFrom: Bob <bob@example.test>\nSubject: Broken\nDate: 4 March 2024\nTo: Rita\n\nThe server is down.",
        f"On Mon, Mar 4, 2024 at 10:12 AM {ADDRESS} wrote:\n> Which printer?\n\nThe one on floor 2.",
        "> Which printer?\nThe one on floor 2.\n> Since when?\nMonday.",
        QUOTED,
        "-- \nRita Example",
    ],
    ids=[
        "sign-off",
        "dash list",
        "forward",
        "apple forward",
        "answer below",
        "inline answers",
        "only a quote",
        "only a signature",
    ],
)
def test_nothing_is_cut_that_the_sender_wrote_or_forwarded(text):
    reply = trim_reply(text, "")
    assert (reply.text, reply.trimmed) == (text, False)


def test_a_forward_keeps_its_html_too():
    html = '<div>Please look at this.</div><div class="gmail_quote"><div class="gmail_attr">---------- Forwarded message ---------<br>From: <b>Bob</b> &lt;bob@example.test&gt;<br>Date: Mon, 4 Mar 2024<br>Subject: Broken<br>To: Rita &lt;rita@example.test&gt;<br></div><div>The server is down.</div></div>'
    assert trim_reply("", html).html == html


def test_the_html_is_never_cut_to_nothing():
    html = '<div class="gmail_quote"><div class="gmail_attr">On Mon, Mar 4, 2024 at 10:12 AM Sam wrote:<br></div><blockquote class="gmail_quote">Hi</blockquote></div>'
    assert trim_reply("", html).html == html


def test_a_new_part_longer_than_what_is_read_is_left_whole():
    new_part = "line\n" * quotes.MAX_LINES
    text = new_part + f"On Mon, Mar 4, 2024 at 10:12 AM {ADDRESS} wrote:\n{QUOTED}"
    assert trim_reply(text, "").text == text
    shorter = (
        "line\n" * (quotes.MAX_LINES - 10) + f"On Mon, Mar 4, 2024 at 10:12 AM {ADDRESS} wrote:\n{QUOTED}"
    )
    assert trim_reply(shorter, "").text == ("line\n" * (quotes.MAX_LINES - 10)).strip()


def test_long_lines_of_the_new_part_are_kept_whole():
    paragraph = "word " * 400
    reply = trim_reply(f"{paragraph}\n\nOn Mon, Mar 4, 2024 at 10:12 AM {ADDRESS} wrote:\n{QUOTED}", "")
    assert reply.text == paragraph.strip()


def test_empty_input_stays_empty():
    assert trim_reply("", "") == quotes.Reply(text="", html="", trimmed=False)
