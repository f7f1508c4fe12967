"""The node's explorer (GET /explorer) in a real browser: Playwright for
Python driving headless Chromium (Debian's /usr/bin/chromium, or
$TOKENSIGN_CHROMIUM).

A `tokensign node` with developer accounts is started for the module; the
payments are made with `tokensign pay`, as a user would. The tests check
that the page loads from this node alone, that a search finds a payment
just made (with its receipt and review pages), and that a balance on the
page changes after a payment without a reload.

`cargo test` runs them (host/tests/explorer_browser.rs); by hand: `python
-m pytest tests/browser` with $TOKENSIGN_BIN the built binary (default
target/debug/tokensign). Without Playwright or Chromium the
tests skip with a loud message, unless $TOKENSIGN_REQUIRE_BROWSER=1 (CI),
which makes that a failure.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("TOKENSIGN_BIN", ROOT / "target" / "debug" / "tokensign"))
CHROMIUM = os.environ.get("TOKENSIGN_CHROMIUM", "/usr/bin/chromium")
REQUIRED = os.environ.get("TOKENSIGN_REQUIRE_BROWSER") == "1"
LAUNCH_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TIMEOUT_MS = 30_000


def unavailable(why):
    message = f"BROWSER TESTS NOT RUN: {why}"
    print(f"\n*** {message} ***", file=sys.stderr)
    if REQUIRED:
        pytest.fail(message + " ($TOKENSIGN_REQUIRE_BROWSER=1)")
    pytest.skip(message)


@pytest.fixture(scope="module")
def node():
    """A fresh node: its URL, the developer accounts' keys and addresses,
    and the test token."""
    if not BIN.exists():
        unavailable(f"{BIN} is not built (cargo build -p tokensign)")
    data = tempfile.mkdtemp(prefix="tokensign-browser-")
    proc = subprocess.Popen(
        [str(BIN), "node", "--listen", "127.0.0.1:0", "--accounts", "4", "--data-dir", data],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    lines = []
    done = threading.Event()

    def read_banner():
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("Fees:"):
                break
        done.set()

    threading.Thread(target=read_banner, daemon=True).start()
    try:
        assert done.wait(120), f"no banner: {lines}"
        url = lines[0].removeprefix("listening on ")
        addresses = [m.group(1) for l in lines if (m := re.match(r"^  \(\d+\) (0x[0-9a-fA-F]{40})$", l))]
        keys = [m.group(1) for l in lines if (m := re.match(r"^  \(\d+\) (0x[0-9a-f]{64})$", l))]
        token = next(l.split()[3].rstrip(":") for l in lines if l.startswith("Test token"))
        yield {"url": url, "addresses": addresses, "keys": keys, "token": token}
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(data, ignore_errors=True)


def pay(node, sender, recipient, value):
    """`tokensign pay` from developer account `sender`; returns the hash."""
    env = dict(os.environ, TOKENSIGN_PRIVATE_KEY=node["keys"][sender])
    out = subprocess.run(
        [str(BIN), "--json", "pay", "--url", node["url"], "--recipient", recipient,
         "--token", node["token"], "--value", str(value)],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["tx_hash"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (pip install -r tests/browser/requirements.txt)")
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, node):
    """A page on the explorer that records requests, console errors and
    navigations."""
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def open_explorer(page, node, route="#/"):
    # Waits go through locators: the page's Content-Security-Policy forbids
    # eval, which Playwright's wait_for_function would need.
    from playwright.sync_api import expect

    page.goto(node["url"] + "/explorer" + route)
    expect(page.locator("#live")).to_have_text(re.compile("^live"), timeout=TIMEOUT_MS)


def test_the_page_loads_from_the_node_alone(page, node):
    open_explorer(page, node)
    assert page.title() == "tokensign explorer"
    page.wait_for_selector("text=DEVUSD")
    token_row = page.locator(f"tr[data-token='{node['token']}']")
    # 4 accounts of 1,000,000 DEVUSD each.
    assert token_row.locator(".supply").inner_text() == "4000000"
    for address in node["addresses"]:
        assert page.locator(f"tr[data-account='{address}']").count() == 1
    assert page.errors == []
    origin = node["url"].replace("http://", "")
    for url in page.requests:
        assert re.match(rf"^(http|ws)://{re.escape(origin)}/", url), f"external request: {url}"


def test_search_finds_a_payment_just_made(page, node):
    open_explorer(page, node)
    recipient = "0x4242424242424242424242424242424242424242"
    tx = pay(node, 2, recipient, 1_500_000)
    page.fill("#q", tx)
    page.click("#search button")
    page.wait_for_selector("#tx-hash")
    assert page.inner_text("#tx-hash") == tx
    assert page.inner_text("#receipt-success") == "true"
    pages = page.locator("#review .page").all_inner_texts()
    assert pages[0].split() == ["Operation", "Payment"], pages
    assert any("1500000" in p for p in pages), pages
    assert page.url.endswith("#/tx/" + tx)
    # An address finds its account.
    page.fill("#q", recipient)
    page.click("#search button")
    page.wait_for_selector("#address")
    assert page.inner_text("#address").lower() == recipient
    assert page.errors == []


def test_a_balance_changes_after_a_payment_without_a_reload(page, node):
    receiver = node["addresses"][3]
    open_explorer(page, node, "#/account/" + receiver)
    cell = page.locator(f"#balances tr[data-token='{node['token']}'] .balance")
    cell.wait_for()
    before = cell.inner_text()
    page.evaluate("window.__sameDocument = true")
    navigations = []
    page.on("framenavigated", lambda f: navigations.append(f.url))
    pay(node, 1, receiver, 2_500_000)
    from playwright.sync_api import expect

    expect(cell).not_to_have_text(before, timeout=TIMEOUT_MS)
    after = cell.inner_text()
    assert before.split()[0] == "1000000", before
    assert after == "1000002.5 DEVUSD", after
    assert page.evaluate("window.__sameDocument") is True, "the page was reloaded"
    assert all("#/account/" in url for url in navigations), navigations
    assert page.errors == []
