from datetime import date

import pytest

from crmtui.rules import ReferralEvent, referral_ask_due, referral_moment


def test_moments():
    assert referral_moment(ReferralEvent("order"))
    assert referral_moment(ReferralEvent("interaction", outcome="positive"))
    assert not referral_moment(ReferralEvent("interaction", outcome="neutral"))
    assert not referral_moment(ReferralEvent("interaction"))
    assert referral_moment(ReferralEvent("satisfaction", score=4))
    assert referral_moment(ReferralEvent("satisfaction", score=5))
    assert not referral_moment(ReferralEvent("satisfaction", score=3))
    assert not referral_moment(ReferralEvent("satisfaction"))
    with pytest.raises(ValueError):
        ReferralEvent("complaint")


def test_ask_window():
    moment = date(2026, 11, 23)
    assert not referral_ask_due(moment, None, date(2026, 11, 22))
    assert referral_ask_due(moment, None, moment)
    assert referral_ask_due(moment, None, date(2026, 11, 29))  # day 7
    assert not referral_ask_due(moment, None, date(2026, 11, 30))
    assert referral_ask_due(moment, date(2026, 11, 1), date(2026, 11, 25))  # asked before
    assert not referral_ask_due(moment, moment, date(2026, 11, 25))  # asked since
    assert not referral_ask_due(moment, date(2026, 11, 24), date(2026, 11, 25))
