"""Realistic demo data, generated deterministically from a seed.

Mixed Chinese and English customers across every grade, with contact histories whose follow-ups
fall due today, overdue and later; orders with a long-tailed revenue (so 80/20 means something);
care dates (some lunar, some within the next days), promises, complaints in every state,
surveys, referrals, account plans for key customers and recent grade movements.

After the sale: every buyer's first order closed the lead, on the day of the follow-up that
did it, and some later orders closed new opportunities (wins, with the follow-ups the contact
history gives them); most buyers bought
recently, some have lapsed (to win back), some customers were terminated with a reason. Once
every customer is made, the value classes (80/20) are known: key customers get account plans
(visit every 7 or 14 days, or weekly by their class), most maintained customers had their last
visit within their cadence, and the next due dates fold the maintenance in.

The draws of the lifecycle come from a second random stream, so the customers, contacts and
complaints of a seed stay the ones they were before lifecycles existed.

Rows go in through bulk inserts inside one transaction, so 100,000 customers take seconds, and
every stored derived column (grade, next_due, cadence_due, revenue, search document) is computed
with the same rules the services use.
"""

from crmtui.demo.builder import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
