"""The app on a PostgreSQL team database, as each role's own database role: every view opens and
shows what the server lets that role see (the server's policies, not only the app's checks)."""

from __future__ import annotations

import pytest

from crmtui.app import CrmApp
from crmtui.screens.complaints import ComplaintsScreen
from crmtui.screens.dashboard import DashboardScreen
from crmtui.screens.today import TodayScreen
from tests.app.conftest import press, screen_text, settle
from tests.db.test_team_roles import team  # noqa: F401 - the fixture

pytestmark = pytest.mark.pg


@pytest.mark.parametrize("who", ["rita", "sam", "boss"])
async def test_every_view_opens_for_each_role(team, clock, who):  # noqa: F811
    ctx = team.open(who, clock)
    app = CrmApp(ctx)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert isinstance(app.screen, TodayScreen)
            for key in ("2", "3", "4", "5", "1"):
                await press(pilot, key)
            await press(pilot, "2")
            if who == "boss":
                await press(pilot, "a")  # a manager's list starts with their own customers
            shown = screen_text(app)
            if who == "rita":
                assert "Rita's client" in shown and "Ray's client" not in shown
            else:
                assert "Rita's client" in shown and "Ray's client" in shown
            await press(pilot, "4")
            assert isinstance(app.screen, ComplaintsScreen)
            assert ("late delivery" in screen_text(app)) is (who != "rita")
            await press(pilot, "5")
            assert isinstance(app.screen, DashboardScreen)
            await press(pilot, "q")
        assert app.return_code == 0
    finally:
        ctx.store.close()
