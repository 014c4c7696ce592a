"""Bank answers render as safe HTML: structure kept, nothing loaded from outside, nothing run."""

import re

from app.web.markdown import to_html
from app.web.render import entry_html
from index.banks import load_bank
from tests.conftest import DATA


def test_a_realistic_entry_keeps_its_structure_and_loads_nothing():
    bank = load_bank(DATA / "realistic" / "stats-notes.md")
    html = entry_html(bank.get("stats-notes/1"), "ko")
    assert "<table>" in html and "<th>표본 크기</th>" in html and "<td>보통 좋음</td>" in html
    assert "<pre class='math'><code>\\bar{X}_n" in html and "<code class='math'>n</code>" in html
    assert "[CLT 그림]" in html and "[clt.png]" in html  # images show as text, never as <img>
    assert "<img" not in html and "render.githubusercontent" not in html and "<div" not in html
    details = entry_html(bank.get("stats-notes/2-1"), "ko")
    assert re.search(r"<details><summary>더 보기</summary><p>p-value는 귀무가설이 참일 확률이 <b>아니다</b>.</p></details>", details)
    assert "확률이다.<br>p-value가" in details


def test_code_lists_and_links():
    html = to_html("1. SYN\n2. ACK\n\n- a `x<y`\n- [ok](https://example.org) [bad](javascript:alert(1))\n\n```python\n<b>x</b>\n```")
    assert "<ol><li>SYN</li><li>ACK</li></ol>" in html
    assert "<li>a <code>x&lt;y</code></li>" in html
    assert '<a href="https://example.org" target="_blank" rel="noopener noreferrer">ok</a>' in html
    assert "javascript:" not in html.split("</a>")[-1].split("<pre")[0] or 'href="javascript' not in html
    assert "<pre class='code'><code>&lt;b&gt;x&lt;/b&gt;</code></pre>" in html


def test_hostile_markup_in_a_bank_runs_nothing():
    html = to_html("<script>alert(1)</script>안녕 <img src=x onerror=alert(1)> <a href='javascript:x'>y</a> <iframe src=//e></iframe>")
    assert "<script" not in html and "alert(1)" not in html and "onerror" not in html and "<iframe" not in html
    assert 'href="javascript' not in html and html.startswith("<p>안녕")
