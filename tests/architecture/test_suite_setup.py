"""The test suite's own set-up holds: the modules marked ``xdist_group("serial")`` (pytest.ini) run
one after another on one worker."""
import pytest

pytestmark = pytest.mark.xdist_group("serial")


def test_the_serial_group_is_one_unit_of_work(request):
    """pytest-xdist sends a group to one worker by the "@group" it appends to each test's id; with
    pytest 9.2 that suffix silently went missing and the group was spread over every worker
    (https://github.com/pytest-dev/pytest-xdist/issues/1386). Under ``--dist loadgroup`` (the
    README's commands) this test's id must carry it."""
    if not getattr(request.config.option, "loadgroup", False):  # one process, or another --dist: nothing to group
        pytest.skip("not run by pytest-xdist with --dist loadgroup")
    assert request.node.nodeid.endswith("@serial"), request.node.nodeid
