# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What every module does around its backend: a backend's error becomes fail_json with its facts (changed=false
unless the backend says otherwise, never a diff), diff is returned only in diff mode, warnings are passed on. A
recording stand-in for AnsibleModule is used because the real one ends the process in fail_json/exit_json; the
modules themselves run in tests/integration/targets.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._errors import ConnectionFailure, SessionError
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import (
    connect,
    exit_with,
    fail,
    hide_tracker_secrets,
    warn,
)


class Done(Exception):
    pass


class RecordingModule:
    def __init__(self, params=None, diff=False):
        self.params = params or {}
        self._diff = diff
        self.warnings = []
        self.result = None
        self.no_log_values = set()

    def warn(self, text):
        self.warnings.append(text)

    def fail_json(self, **result):
        self.result = dict(result, failed=True)
        raise Done()

    def exit_json(self, **result):
        self.result = result
        raise Done()


def test_fail_reports_the_backend_facts_without_diff():
    # changed stays what the backend says (a torrent added that then does not seed was a change), else false
    module = RecordingModule()
    error = SessionError("torrent x does not seed", changed=True, actions=["added"], diff={"before": {}})
    with pytest.raises(Done):
        fail(module, error, server_version="5.1.0")
    assert module.result == dict(failed=True, msg="torrent x does not seed", changed=True, actions=["added"],
                                 server_version="5.1.0")
    with pytest.raises(Done):
        fail(module, ConnectionFailure("no server"))
    assert module.result == dict(failed=True, msg="no server", changed=False)


def test_connect_failure_is_fail_json_with_the_message():
    module = RecordingModule(params=dict(host=None, validate_certs=True, request_timeout=30.0))
    with pytest.raises(Done):
        connect(module)
    assert module.result["failed"] and module.result["msg"].startswith("host is required to reach qBittorrent")
    assert module.result["changed"] is False


@pytest.mark.parametrize("diff_mode", [True, False])
def test_exit_with_diff_only_in_diff_mode(diff_mode):
    module = RecordingModule(diff=diff_mode)
    with pytest.raises(Done):
        exit_with(module, dict(changed=True, diff={"before": {}, "after": {"x": 1}}), ["look out"])
    assert ("diff" in module.result) is diff_mode
    assert module.result["changed"] is True
    assert module.warnings == ["look out"]


# ---------------------------------------------------------------- tracker secrets
PASSKEY = "0123456789abcdef0123456789abcdef"
URL = "https://t.example/announce?passkey=%s" % PASSKEY


class MaskingModule(RecordingModule):
    """RecordingModule that masks what it returns the way AnsibleModule does (remove_values over no_log_values)."""

    def __init__(self, params=None, diff=False):
        super(MaskingModule, self).__init__(params, diff)
        self.no_log_values = set()

    def exit_json(self, **result):
        from ansible.module_utils.common.parameters import remove_values
        self.result = remove_values(result, self.no_log_values)
        raise Done()

    fail_json = exit_json


def test_exit_with_masks_the_secrets_of_options_results_diff_and_warnings():
    module = MaskingModule(params=dict(trackers=[URL]), diff=True)
    result = dict(changed=True, trackers=[[URL]], magnet_uri="magnet:?tr=" + URL.replace("=", "%3D"),
                  diff=dict(before=dict(trackers=[["udp://old.example/announce?pk=oldpasskey1"]]), after={}))
    with pytest.raises(Done):
        exit_with(module, result, ["the seeding copy kept udp://old.example/announce?pk=oldpasskey1"])
    shown = repr(module.result) + repr(module.warnings)
    assert PASSKEY not in shown and "oldpasskey1" not in shown
    assert module.result["trackers"] == [["https://t.example/announce?passkey=********"]]
    assert module.warnings == ["the seeding copy kept udp://old.example/announce?pk=********"]


def test_fail_masks_the_secrets_in_the_message():
    module = MaskingModule(params={})
    with pytest.raises(Done):
        fail(module, SessionError("tracker %s refused" % URL))
    assert module.result["msg"] == "tracker https://t.example/announce?passkey=******** refused"


def test_show_tracker_secrets_keeps_the_real_urls():
    module = MaskingModule(params=dict(show_tracker_secrets=True, trackers=[URL]))
    assert hide_tracker_secrets(module, URL) == []
    with pytest.raises(Done):
        exit_with(module, dict(changed=False, trackers=[[URL]]), ["see %s" % URL])
    assert module.result["trackers"] == [[URL]] and module.warnings == ["see %s" % URL]


def test_warn_masks_other_no_log_values_too():
    # ansible-core 2.19+ returns warnings as objects that remove_values leaves alone: warn() masks the text
    module = MaskingModule(params={})
    module.no_log_values.add("webuipassword")
    warn(module, "login with webuipassword failed for %s" % URL)
    assert module.warnings == ["login with ******** failed for https://t.example/announce?passkey=********"]


# ---------------------------------------------------------------- the module runner, with a real AnsibleModule
def run_module(capsys, args, body):
    """Run ``body(runner)`` as a module's main() would with ``args``; returns the JSON the module printed."""
    import json

    from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
    from ansible_collections.torrentops.qbittorrent.tests.unit.plugins.module_utils.module_args import patch_module_args

    with patch_module_args(args):
        with pytest.raises(SystemExit):
            body(ModuleRunner(dict(trackers=dict(type="list", elements="str", default=[]),
                                   name=dict(type="str")), fastbencode=False))
    return json.loads(capsys.readouterr().out)


class StubBackend:
    def __init__(self, result=None, error=None):
        self.warnings = ["left out %s" % URL]
        self.result = result
        self.error = error

    def run(self):
        if self.error:
            raise self.error
        return self.result


class StubMeta:
    trackers = [["udp://old.example/announce?pk=oldpasskey1"]]
    url_seeds = []


def test_runner_options_are_the_connection_the_module_and_the_secrets_option(capsys):
    def body(runner):
        assert runner.params["request_timeout"] == 30.0 and runner.params["show_tracker_secrets"] is False
        assert runner.check_mode is False and runner.files.module is runner.module
        runner.exit(dict(changed=False, params=runner.params))
    shown = run_module(capsys, dict(trackers=[URL], password="webuipassword"), body)
    assert PASSKEY not in repr(shown) and "webuipassword" not in repr(shown)
    assert shown["params"]["trackers"] == ["https://t.example/announce?passkey=********"]


def test_runner_turns_a_backend_error_into_a_failure_with_its_warnings_and_facts(capsys):
    def body(runner):
        backend = StubBackend(error=SessionError("tracker %s refused" % URL, actions=["added"]))
        runner.run(backend, torrents=lambda: [StubMeta(), None], actions=[], dest="/t/x.torrent")
    shown = run_module(capsys, dict(trackers=[URL]), body)
    assert shown["failed"] is True and shown["changed"] is False
    assert shown["msg"] == "tracker https://t.example/announce?passkey=******** refused"
    assert shown["actions"] == ["added"] and shown["dest"] == "/t/x.torrent"  # the error's facts win
    assert "left out https://t.example/announce?passkey=********" in repr(shown["warnings"])
    assert PASSKEY not in repr(shown)


def test_runner_hides_the_trackers_of_the_torrents_the_backend_read(capsys):
    def body(runner):
        backend = StubBackend(result=dict(changed=True, note="was udp://old.example/announce?pk=oldpasskey1"))
        runner.exit(runner.run(backend, torrents=lambda: [StubMeta()]), backend.warnings)
    shown = run_module(capsys, {}, body)
    assert shown["note"] == "was udp://old.example/announce?pk=********" and shown["changed"] is True


def test_runner_failing_block_reports_the_facts_and_masks_written_data(capsys):
    def body(runner):
        assert runner.mask(dict(url=URL)) == dict(url="https://t.example/announce?passkey=********")
        with runner.failing(releases=[], summary=[]):
            raise ConnectionFailure("no server")
    shown = run_module(capsys, dict(trackers=[URL]), body)
    assert shown["msg"] == "no server" and shown["releases"] == [] and shown["summary"] == []


def test_runner_exit_with_failed_items_keeps_the_result(capsys):
    def body(runner):
        runner.exit(dict(changed=True, releases=[dict(name="a", failed=True)], diff=[]), failed="1 of 1 releases failed")
    shown = run_module(capsys, {}, body)
    assert shown["failed"] is True and shown["msg"] == "1 of 1 releases failed" and shown["changed"] is True
    assert shown["releases"] == [dict(name="a", failed=True)] and "diff" not in shown  # not in diff mode
