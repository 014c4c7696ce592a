"""Access: with logins, one user's history is never visible to another, whatever they type or
copy, in the browser or through the API; uploads are size-limited."""

import pytest

from tests.conftest import ARTIFACTS

from .conftest import LOCAL, home_with_index, launch
from .test_browser import GOOD_12

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def logins_server(real_kb, real_home, tmp_path_factory):
    folder = tmp_path_factory.mktemp("access")
    logins = folder / "logins.txt"
    logins.write_text("minji:minji-pw\njunho:junho-pw\n", encoding="utf-8")
    home = home_with_index(real_home, folder / "home")
    with launch(home, "--auth-file", str(logins)) as (url, _):
        yield url


def login(chromium, url, user):
    context = chromium.new_context(viewport={"width": 1280, "height": 1400}, locale="ko-KR")
    page = context.new_page()
    outside = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else outside.append(r.url))
    page.set_default_timeout(60_000)
    page.goto(url)
    page.locator("input[type=text], input[name=username]").first.fill(user)
    page.locator("input[type=password]").first.fill(f"{user}-pw")
    page.keyboard.press("Enter")
    page.wait_for_selector("#start")
    return context, page, outside


def test_one_user_never_sees_another_users_history(chromium, logins_server):
    ctx_a, minji, out_a = login(chromium, logins_server, "minji")
    assert not minji.locator("#profile").is_visible()  # the login name is the profile
    minji.click("#start")
    minji.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    box = minji.locator("#answer textarea")
    box.fill("민지의 비밀 답변: " + GOOD_12)
    box.press("Enter")
    minji.wait_for_selector("#feedback .score")
    minji.get_by_role("tab", name="진행 상황").click()
    minji.wait_for_function("document.querySelector('#attempts').innerText.includes('deep-learning/')")
    token = minji.evaluate("Object.entries(localStorage).find(([k]) => k.includes('interview-coach-token'))")

    ctx_b, junho, out_b = login(chromium, logins_server, "junho")
    if token:  # junho's browser gets minji's token: her unfinished interview must not open
        junho.evaluate("([k, v]) => localStorage.setItem(k, v)", token)
        junho.reload()
        junho.wait_for_selector("#start")
    assert "민지" not in junho.locator("#chat").inner_text()
    junho.click("#start")  # junho answers the same first question
    junho.wait_for_function("document.querySelector('#chat').innerText.includes('질문 1')")
    box = junho.locator("#answer textarea")
    box.fill("준호의 답변: 모르겠습니다")
    box.press("Enter")
    junho.wait_for_selector("#feedback .score")
    junho.get_by_role("tab", name="진행 상황").click()
    junho.wait_for_function("document.querySelector('#attempts').innerText.includes('deep-learning/')")
    rows = junho.locator("#attempts").inner_text().count("deep-learning/")
    assert rows == 1  # his own attempt only, not minji's graded one
    assert "민지" not in junho.locator("#attempts").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    junho.screenshot(path=str(ARTIFACTS / "access-other-user.png"), full_page=True)
    ctx_a.close()
    ctx_b.close()
    assert out_a == [] and out_b == []


def test_the_api_answers_with_the_logged_in_users_history_only(logins_server):
    from gradio_client import Client

    from .test_load import User

    def export(client, typed):
        *_, path, _corrections = client.predict(typed, "ko", api_name="/on_progress")
        path = path.get("value", path) if isinstance(path, dict) else path
        return open(path, encoding="utf-8-sig").read()

    minji = User(logins_server, "x", auth=("minji", "minji-pw"))  # the typed profile is ignored: she is "minji"
    minji.start(1)
    minji.client.predict("민지의 API 비밀 답변", minji.chat, "ko", minji.token, "x", api_name="/on_answer")
    assert "민지의 API 비밀 답변" in export(minji.client, "x")  # her own export has it

    junho = Client(logins_server, auth=("junho", "junho-pw"), verbose=False)
    assert "민지의 API 비밀 답변" not in export(junho, "minji")  # typing her name changes nothing
    with pytest.raises(ValueError, match="Could not login"):
        Client(logins_server, auth=("junho", "wrong"), verbose=False)


def test_uploads_above_the_limit_are_refused(server, tmp_path):
    import urllib.error
    import urllib.request

    big = b"id,question_id,answer\n" + b"x,deep-learning/1," + b"a" * (21 * 1024 * 1024) + b"\n"
    boundary = "----limit"
    body = (
        (f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n').encode()
        + big
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        server + "gradio_api/upload", data=body, method="POST", headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request, timeout=60)
    assert e.value.code == 413
