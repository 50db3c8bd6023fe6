from tests.browser.conftest import assert_accessible, screenshot


def test_sign_in_and_dashboard_links_into_the_filtered_grid(signed_in, live_server):
    page = signed_in
    assert page.get_by_role("heading", name="Dashboard").is_visible()
    tile = page.get_by_role("link", name="New requests")
    count = int(tile.locator(".count").inner_text())
    assert count > 0
    assert_accessible(page)
    screenshot(page, "dashboard")
    href = tile.get_attribute("href")
    assert "status=pending_confirmation" in href


def test_wrong_password_is_refused_with_a_message(page, live_server, demo):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Username").fill("provider")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").first.is_visible()
    assert page.url.endswith("/login/")
