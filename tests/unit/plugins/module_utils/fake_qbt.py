# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One fake qBittorrent for every unit test: the Web API as qbittorrent-api exposes it, held in memory.

``FakeQbt`` behaves like the server where the module depends on it (seen live on 4.5, 5.1 and 5.3):

- a torrent's id is its v1 hash for a v1 torrent and its v2 hash cut to 40 digits for a v2 or hybrid one (the v1
  hash of a hybrid with ``id_is_v1``, as libtorrent 1.2 builds do); ``torrents_info`` filters by ids given as a list
  or joined with ``|``, and lists each torrent's trackers with ``include_trackers`` and its web seeds in its
  ``magnet_uri``;
- ``torrents_add`` reads the .torrent files (independently of the collection's own parser), puts them in the
  session with the options given and answers ``Ok.``; a torrent already there gets ``Fails.`` (5.1) or a 409 (5.3,
  ``duplicate_409``); with the ``add_trackers_enabled`` preference the server's own trackers are appended;
- qBittorrent checks the data of an added torrent unless told to skip it: the data is there unless its name is in
  ``missing_data`` (checked: ``stalledDL`` with part of it; skipped: ``missingFiles``);
- tracker and web seed edits show after ``edit_lag`` reads of the lists (qBittorrent 5.1 applies them
  asynchronously), never when it is None; removeTrackers and the web seed endpoints split on ``|`` and
  percent-decode each piece (``decodes``: 5.1 on; 5.0 takes them as sent);
- categories must exist before a torrent is set to one (torrents/add creates it); creating one that exists, or a
  bad name, answers 409;
- feeds sit in a tree of folders (``tree``), rules are kept as set and answered as the version stores them
  (``torrent_params``: 4.6 on);
- creator tasks build the .torrent given in ``built`` for their source path after ``creator_polls`` status calls
  (Failed with ``creator_failures``' message instead; or they follow ``creator_scripts``), are named after their
  source (``task-NAME``; numbered without one) and stay on the server until deleted.

Faults a live server cannot be made to produce on demand are set per endpoint: ``fail(endpoint, exc, at=N)`` makes
the Nth call (every call without ``at``) raise ``exc``; ``before(endpoint, hook)`` runs ``hook(server, **kwargs)``
first (another client acting at the same moment). Every call is recorded in ``requests``; ``changes()`` lists the
ones that change something, so a test can say "nothing was sent".
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import posixpath
from urllib.parse import quote, unquote

PSEUDO_TRACKERS = [{"url": "** [DHT] **", "tier": -1, "status": 0}, {"url": "** [PeX] **", "tier": -1, "status": 0},
                   {"url": "** [LSD] **", "tier": -1, "status": 0}]
READS = ("torrents_info", "torrents_trackers", "torrents_webseeds", "torrents_categories", "torrents_export",
         "app_preferences", "app_default_save_path", "torrentcreator_status", "torrentcreator_torrent_file",
         "rss_items", "rss_rules")
BAD_CATEGORY = ("\\", "//")


def conflict(text="Too many active tasks"):
    """A 409 the way qbittorrent-api raises it."""
    import qbittorrentapi
    return qbittorrentapi.Conflict409Error(text, request=None, response=None)


def not_found(text="Not Found"):
    import qbittorrentapi
    return qbittorrentapi.NotFound404Error(text, request=None, response=None)


def connection_refused():
    """What requests raises when qBittorrent is gone (stopped, restarting)."""
    import requests
    return requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"))


def torrent_facts(data):
    """(v1 hash, v2 hash, name, tiers, web seeds) of a .torrent, read with fastbencode alone."""
    import fastbencode
    meta = fastbencode.bdecode(data)
    info = meta[b"info"]
    encoded = fastbencode.bencode(info)
    v1 = hashlib.sha1(encoded).hexdigest() if b"pieces" in info else None
    v2 = hashlib.sha256(encoded).hexdigest() if info.get(b"meta version") == 2 else None
    tiers = [[url.decode() for url in tier] for tier in meta.get(b"announce-list") or []]
    if not tiers and meta.get(b"announce"):
        tiers = [[meta[b"announce"].decode()]]
    seeds = meta.get(b"url-list") or []
    seeds = [seeds] if isinstance(seeds, bytes) else seeds
    return v1, v2, info[b"name"].decode(), tiers, [url.decode() for url in seeds]


def id_list(hashes):
    if hashes is None:
        return None
    if isinstance(hashes, (list, tuple)):
        return list(hashes)
    return str(hashes).split("|")


class FakeQbt:
    """qBittorrent's Web API in memory (see the module's docstring for what it does as the server does)."""

    def __init__(self, decodes=True, id_is_v1=False, duplicate_409=False, categories=(), preferences=None,
                 default_save_path="/downloads"):
        self.decodes = decodes
        self.id_is_v1 = id_is_v1
        self.duplicate_409 = duplicate_409
        self.torrents = {}  # id -> torrents/info entry
        self.trackers = {}  # id -> [(url, tier)]
        self.webseeds = {}  # id -> [url]
        self.data = {}  # id -> the .torrent's bytes (torrents/export)
        self.categories = dict((name, {"name": name, "savePath": ""}) for name in categories)
        self.preferences = dict(save_path=default_save_path, add_trackers_enabled=False, add_trackers="",
                                rss_processing_enabled=False, rss_auto_downloading_enabled=False)
        self.preferences.update(preferences or {})
        self.missing_data = set()  # torrent names whose data is not where the server looks
        self.edit_lag = 0
        self.pending = []
        self.drops_adds = False  # answers torrents/add with Ok. and never adds (see its Execution Log)
        self.keeps_deleted = False  # torrents/delete answers and the torrent stays
        # creator
        self.built = {}  # source_path -> the .torrent a task builds
        self.creator_failures = {}  # source_path -> errorMessage
        self.creator_polls = {}  # source_path -> status calls until it ends (default 1)
        self.creator_scripts = {}  # source_path -> states, one per status call (the last repeats), or a callable
        self.creator_script = None  # the script of a task whose source path has none
        self.tasks = {}  # task id -> dict(source_path, params, polls)
        self.added_tasks = 0
        self.added = []  # (task id, status calls before it was added)
        self.most_tasks = 0  # the most tasks on the server at once
        # RSS: feeds and folders by path, auto-download rules as set; 4.6+ stores a rule's torrentParams
        self.tree = {}
        self.rules = {}
        self.torrent_params = True
        # faults and the record
        self.faults = {}  # endpoint -> {call number or None: exception}
        self.hooks = {}
        self.counts = {}
        self.requests = []  # (endpoint, kwargs)

    # ---- test helpers ------------------------------------------------------------------------------------------
    def fail(self, endpoint, exc, at=None):
        self.faults.setdefault(endpoint, {})[at] = exc

    def before(self, endpoint, hook):
        self.hooks[endpoint] = hook

    def called(self, endpoint):
        return [kwargs for name, kwargs in self.requests if name == endpoint]

    def changes(self):
        """The requests that change something on the server, by endpoint name."""
        return [name for name, kwargs in self.requests if name not in READS]

    def _request(self, endpoint, **kwargs):
        self.requests.append((endpoint, kwargs))
        self.counts[endpoint] = self.counts.get(endpoint, 0) + 1
        hook = self.hooks.get(endpoint)
        if hook is not None:
            hook(self, **kwargs)
        faults = self.faults.get(endpoint, {})
        exc = faults.get(self.counts[endpoint], faults.get(None))
        if exc is not None:
            raise exc

    def seed(self, data, save_path="/srv/releases", category="", tags=(), state="stalledUP", progress=1,
             trackers=None, url_seeds=None, auto_tmm=False):
        """Put a torrent (its .torrent's bytes) in the session as if added earlier; returns its id. ``trackers``
        (tiers) and ``url_seeds`` replace the .torrent's own: what someone changed since."""
        v1, v2, name, tiers, seeds = torrent_facts(data)
        torrent_id = v1 if (self.id_is_v1 and v1) or not v2 else v2[:40]
        self.torrents[torrent_id] = dict(
            hash=torrent_id, infohash_v1=v1 or "", infohash_v2=v2 or "", name=name, save_path=save_path,
            content_path=posixpath.join(save_path, name), category=category, tags=", ".join(sorted(tags)),
            state=state, progress=progress, auto_tmm=auto_tmm)
        tiers = tiers if trackers is None else trackers
        self.trackers[torrent_id] = [(url, tier) for tier, urls in enumerate(tiers) for url in urls]
        self.webseeds[torrent_id] = list(seeds if url_seeds is None else url_seeds)
        self.data[torrent_id] = data
        return torrent_id

    def entry(self, torrent_id, name="release", save_path="/srv/releases", trackers=(), url_seeds=(), **fields):
        """A torrent known by its id alone (no .torrent: nothing to export); ``trackers`` are (url, tier) pairs and
        ``fields`` override torrents/info's (state, progress, ...). Returns the id."""
        self.torrents[torrent_id] = dict(
            hash=torrent_id, infohash_v1=torrent_id, infohash_v2="", name=name, save_path=save_path,
            content_path=posixpath.join(save_path, name), category="", tags="", state="stalledUP", progress=1,
            auto_tmm=False)
        self.torrents[torrent_id].update(fields)
        self.trackers[torrent_id] = list(trackers)
        self.webseeds[torrent_id] = list(url_seeds)
        return torrent_id

    def tiers(self, torrent_id):
        """The torrent's trackers as tiers, as the session has them now."""
        by_tier = {}
        for url, tier in self.trackers[torrent_id]:
            by_tier.setdefault(tier, []).append(url)
        return [by_tier[tier] for tier in sorted(by_tier)]

    def tags(self, torrent_id):
        return sorted(tag.strip() for tag in self.torrents[torrent_id]["tags"].split(",") if tag.strip())

    # ---- app ---------------------------------------------------------------------------------------------------
    def app_preferences(self):
        self._request("app_preferences")
        return dict(self.preferences)

    def app_default_save_path(self):
        self._request("app_default_save_path")
        return self.preferences["save_path"]

    # ---- reading the session -----------------------------------------------------------------------------------
    def torrents_info(self, torrent_hashes=None, include_trackers=False, **kwargs):
        self._request("torrents_info", torrent_hashes=torrent_hashes, include_trackers=include_trackers, **kwargs)
        wanted = id_list(torrent_hashes)
        ids = list(self.torrents) if wanted is None else [i for i in wanted if i in self.torrents]
        found = []
        for torrent_id in ids:
            entry = dict(self.torrents[torrent_id])
            if include_trackers:
                entry["trackers"] = [{"url": url, "tier": tier, "status": 2} for url, tier in self.trackers[torrent_id]]
            entry["magnet_uri"] = self.magnet_uri(torrent_id)
            found.append(entry)
        return found

    def magnet_uri(self, torrent_id):
        """The magnet link torrents/info gives: info hashes, name, trackers and the current web seeds, each value
        percent-encoded (as 4.5 and 5.3 write it)."""
        torrent = self.torrents[torrent_id]
        pieces = []
        if torrent["infohash_v1"]:
            pieces.append("xt=urn:btih:%s" % torrent["infohash_v1"])
        if torrent["infohash_v2"]:
            pieces.append("xt=urn:btmh:1220%s" % torrent["infohash_v2"])
        pieces.append("dn=%s" % quote(torrent["name"], safe=""))
        pieces.extend("tr=%s" % quote(url, safe="") for url, dummy in self.trackers[torrent_id])
        pieces.extend("ws=%s" % quote(unquote(url), safe="") for url in self.webseeds[torrent_id])
        return "magnet:?" + "&".join(pieces)

    def _settle(self):
        if self.pending and self.edit_lag is not None:
            if self.edit_lag <= 0:
                for edit in self.pending:
                    edit()
                self.pending = []
            self.edit_lag -= 1

    def torrents_trackers(self, torrent_hash):
        self._request("torrents_trackers", torrent_hash=torrent_hash)
        if torrent_hash not in self.torrents:
            raise not_found()
        self._settle()
        return PSEUDO_TRACKERS + [{"url": url, "tier": tier, "status": 2} for url, tier in self.trackers[torrent_hash]]

    def torrents_webseeds(self, torrent_hash):
        self._request("torrents_webseeds", torrent_hash=torrent_hash)
        if torrent_hash not in self.torrents:
            raise not_found()
        self._settle()
        return [{"url": unquote(url)} for url in self.webseeds[torrent_hash]]  # as QUrl::toString() prints them

    def torrents_export(self, torrent_hash):
        self._request("torrents_export", torrent_hash=torrent_hash)
        return self.data[torrent_hash]

    def torrents_categories(self):
        self._request("torrents_categories")
        return dict(self.categories)

    # ---- changing the session ----------------------------------------------------------------------------------
    def torrents_add(self, torrent_files=None, save_path=None, category=None, tags=None, is_skip_checking=False,
                     is_stopped=False, content_layout=None, use_auto_torrent_management=None, **kwargs):
        self._request("torrents_add", torrent_files=torrent_files, save_path=save_path, category=category, tags=tags,
                      is_skip_checking=is_skip_checking, is_stopped=is_stopped, content_layout=content_layout,
                      use_auto_torrent_management=use_auto_torrent_management, **kwargs)
        files = list(torrent_files.values()) if isinstance(torrent_files, dict) else [torrent_files]
        if category and category not in self.categories:
            self.categories[category] = {"name": category, "savePath": ""}  # qBittorrent creates it on add
        added = 0
        for data in files:
            v1, v2, name, dummy, dummy = torrent_facts(data)
            if any(i in self.torrents for i in (v1, (v2 or "")[:40])) or self.drops_adds:
                continue
            where = save_path or self.preferences["save_path"]
            if name in self.missing_data:
                state, progress = ("missingFiles", 0) if is_skip_checking else ("stalledDL", 0.25)
            else:
                state, progress = "stalledUP", 1
            if is_stopped:
                state = "stoppedUP" if progress == 1 else "stoppedDL"
            torrent_id = self.seed(data, save_path=where, category=category or "", tags=tags or (), state=state,
                                   progress=progress, auto_tmm=bool(use_auto_torrent_management))
            if self.preferences.get("add_trackers_enabled"):
                last = max([tier for dummy, tier in self.trackers[torrent_id]] or [-1])
                self.trackers[torrent_id].extend((url, last + 1) for url in self.preferences["add_trackers"].split("\n")
                                                 if url)
            added += 1
        if not added and not self.drops_adds:
            if self.duplicate_409:
                raise conflict("Torrent is already present")
            return "Fails."
        return "Ok."

    def torrents_delete(self, delete_files, torrent_hashes):
        self._request("torrents_delete", delete_files=delete_files, torrent_hashes=torrent_hashes)
        assert delete_files is False, "the module never deletes a release's data"
        if not self.keeps_deleted:
            for torrent_id in id_list(torrent_hashes):
                self.torrents.pop(torrent_id, None)

    def torrents_create_category(self, name, save_path=None):
        self._request("torrents_create_category", name=name)
        if name in self.categories or not name or any(bad in name for bad in BAD_CATEGORY):
            raise conflict("Unable to create category")
        self.categories[name] = {"name": name, "savePath": save_path or ""}

    def torrents_set_category(self, category, torrent_hashes):
        self._request("torrents_set_category", category=category, torrent_hashes=torrent_hashes)
        if category and category not in self.categories:
            raise conflict("Incorrect category name")
        for torrent_id in id_list(torrent_hashes):
            self.torrents[torrent_id]["category"] = category

    def _edit_tags(self, torrent_hashes, tags, add):
        tags = [tags] if isinstance(tags, str) else list(tags)
        for torrent_id in id_list(torrent_hashes):
            current = set(self.tags(torrent_id))
            current = current | set(tags) if add else current - set(tags)
            self.torrents[torrent_id]["tags"] = ", ".join(sorted(current))

    def torrents_add_tags(self, tags, torrent_hashes):
        self._request("torrents_add_tags", tags=tags, torrent_hashes=torrent_hashes)
        self._edit_tags(torrent_hashes, tags, add=True)

    def torrents_remove_tags(self, tags, torrent_hashes):
        self._request("torrents_remove_tags", tags=tags, torrent_hashes=torrent_hashes)
        self._edit_tags(torrent_hashes, tags, add=False)

    def torrents_set_auto_management(self, enable, torrent_hashes):
        self._request("torrents_set_auto_management", enable=enable, torrent_hashes=torrent_hashes)
        for torrent_id in id_list(torrent_hashes):
            self.torrents[torrent_id]["auto_tmm"] = bool(enable)

    def torrents_start(self, torrent_hashes):
        self._request("torrents_start", torrent_hashes=torrent_hashes)
        for torrent_id in id_list(torrent_hashes):
            torrent = self.torrents[torrent_id]
            torrent["state"] = "stalledUP" if float(torrent["progress"]) >= 1 else "stalledDL"

    def torrents_stop(self, torrent_hashes):
        self._request("torrents_stop", torrent_hashes=torrent_hashes)
        for torrent_id in id_list(torrent_hashes):
            torrent = self.torrents[torrent_id]
            torrent["state"] = "stoppedUP" if float(torrent["progress"]) >= 1 else "stoppedDL"

    def _pieces(self, urls):
        return [unquote(piece) if self.decodes else piece for piece in urls.split("|")]

    def torrents_remove_trackers(self, torrent_hash, urls):
        self._request("torrents_remove_trackers", torrent_hash=torrent_hash, urls=urls)
        gone = self._pieces(urls)
        self.pending.append(lambda: self.trackers.__setitem__(
            torrent_hash, [(url, tier) for url, tier in self.trackers[torrent_hash] if url not in gone]))

    def torrents_add_trackers(self, torrent_hash, urls):
        """addTrackers: an empty line starts the next tier; a URL the torrent has keeps its tier."""
        self._request("torrents_add_trackers", torrent_hash=torrent_hash, urls=urls)

        def add():
            tier = 0
            for line in urls.split("\n"):
                if not line:
                    tier += 1
                elif line not in [url for url, dummy in self.trackers[torrent_hash]]:
                    self.trackers[torrent_hash].append((line, tier))
        self.pending.append(add)

    def torrents_remove_webseeds(self, torrent_hash, urls):
        self._request("torrents_remove_webseeds", torrent_hash=torrent_hash, urls=urls)
        # the server compares parsed URLs (QUrl), so old%7Cpipe and old|pipe are the same seed
        gone = [unquote(url) for url in self._pieces(urls)]
        self.pending.append(lambda: self.webseeds.__setitem__(
            torrent_hash, [url for url in self.webseeds[torrent_hash] if unquote(url) not in gone]))

    def torrents_add_webseeds(self, torrent_hash, urls):
        self._request("torrents_add_webseeds", torrent_hash=torrent_hash, urls=urls)
        self.pending.append(lambda: self.webseeds[torrent_hash].extend(self._pieces(urls)))

    # ---- the torrent creator -----------------------------------------------------------------------------------
    def torrentcreator_add_task(self, source_path=None, **params):
        self._request("torrentcreator_add_task", source_path=source_path, **params)
        self.added_tasks += 1
        if source_path:
            task_id = "task-%s" % posixpath.basename(str(source_path).rstrip("/"))
        else:
            task_id = "task-%d" % self.added_tasks
        self.tasks[task_id] = dict(source_path=source_path, params=params, polls=0)
        self.added.append((task_id, self.counts.get("torrentcreator_status", 0)))
        self.most_tasks = max(self.most_tasks, len(self.tasks))
        return {"taskID": task_id}

    def task_state(self, task):
        """The task's state at this poll: its script's, else Running until ``creator_polls`` and then Finished (or
        Failed with ``creator_failures``' message); a status string, a dict of status fields, or None (not listed)."""
        path = task["source_path"]
        script = self.creator_scripts.get(path, self.creator_script)
        if callable(script):
            return script(self)
        if script is not None:
            return script[min(task["polls"], len(script)) - 1]
        if task["polls"] < self.creator_polls.get(path, 1):
            return dict(status="Running", progress=50)
        if path in self.creator_failures:
            return dict(status="Failed", errorMessage=self.creator_failures[path])
        return "Finished"

    def torrentcreator_status(self, task_id=None):
        self._request("torrentcreator_status", task_id=task_id)
        if task_id is not None and task_id not in self.tasks:
            raise not_found()
        found = []
        for one_id, task in list(self.tasks.items()):
            if task_id is not None and one_id != task_id:
                continue
            task["polls"] += 1
            state = self.task_state(task)
            if state is None:
                continue
            status = dict(taskID=one_id, sourcePath=task["source_path"])
            status.update(state if isinstance(state, dict) else dict(status=state))
            if status["status"] == "Finished" and task["params"].get("start_seeding") and not task.get("seeding"):
                task["seeding"] = self.seed(self.built[task["source_path"]],
                                            save_path=posixpath.dirname(task["source_path"]))
            found.append(status)
        return found

    def torrentcreator_torrent_file(self, task_id=None):
        self._request("torrentcreator_torrent_file", task_id=task_id)
        if task_id not in self.tasks:
            raise not_found()
        return self.built.get(self.tasks[task_id]["source_path"], ("torrent of %s" % task_id).encode())

    def torrentcreator_delete_task(self, task_id=None):
        self._request("torrentcreator_delete_task", task_id=task_id)
        if self.tasks.pop(task_id, None) is None:
            raise not_found()

    # ---- RSS ---------------------------------------------------------------------------------------------------
    def app_set_preferences(self, prefs):
        self._request("app_set_preferences", prefs=prefs)
        self.preferences.update(prefs)

    def rss_items(self):
        self._request("rss_items")
        return self.tree

    def rss_rules(self):
        self._request("rss_rules")
        return dict((name, self.stored_rule(rule)) for name, rule in self.rules.items())

    def stored_rule(self, rule):
        """What rss/rules answers: 4.6+ (``torrent_params``) fills torrentParams and the old keys from it."""
        rule = dict(rule)
        rule.setdefault("priority", 0)
        if self.torrent_params:
            params = dict(dict(save_path="", category="", tags=[], use_auto_tmm=None, ratio_limit=-2),
                          **rule.get("torrentParams", {}))
            rule["torrentParams"] = params
            rule.update(savePath=params["save_path"], assignedCategory=params["category"],
                        addPaused=params.get("stopped"))
        return rule

    def rss_add_feed(self, url, item_path, refresh_interval=None):
        self._request("rss_add_feed", url=url, item_path=item_path, refresh_interval=refresh_interval)
        self.tree[item_path] = dict(uid="{1}", url=url)
        if refresh_interval:
            self.tree[item_path]["refreshInterval"] = refresh_interval

    def rss_set_feed_url(self, url, item_path):
        self._request("rss_set_feed_url", url=url, item_path=item_path)
        self.tree[item_path]["url"] = url

    def rss_set_feed_refresh_interval(self, item_path, refresh_interval):
        self._request("rss_set_feed_refresh_interval", item_path=item_path, refresh_interval=refresh_interval)
        self.tree[item_path]["refreshInterval"] = refresh_interval

    def rss_move_item(self, orig_item_path, new_item_path):
        self._request("rss_move_item", orig_item_path=orig_item_path, new_item_path=new_item_path)
        parts = orig_item_path.split("\\")
        folder = self.tree
        for part in parts[:-1]:
            folder = folder[part]
        self.tree[new_item_path] = folder.pop(parts[-1])

    def rss_remove_item(self, item_path):
        self._request("rss_remove_item", item_path=item_path)
        self.tree.pop(item_path)

    def rss_refresh_item(self, item_path):
        self._request("rss_refresh_item", item_path=item_path)

    def rss_set_rule(self, rule_name, rule_def):
        self._request("rss_set_rule", rule_name=rule_name, rule_def=rule_def)
        self.rules[rule_name] = dict(rule_def)

    def rss_remove_rule(self, rule_name):
        self._request("rss_remove_rule", rule_name=rule_name)
        self.rules.pop(rule_name)


class FakeFiles:
    """_io.ModuleFiles without an AnsibleModule: plain writes (no atomic_move), each one recorded."""

    def __init__(self):
        self.writes = []  # (path, content)
        self.removed = []
        self.attributes = []  # (path, mode)

    @property
    def written(self):
        return [path for path, dummy in self.writes]

    def write(self, path, content, backup=False):
        self.writes.append((path, content))
        with open(path, "wb") as handle:
            handle.write(content)

    def remove(self, path, backup=False):
        import os
        self.removed.append(path)
        os.unlink(path)
        return True, None

    def set_attributes(self, path, file_params, changed):
        self.attributes.append((path, file_params.get("mode")))
        return changed


class FakeTime:
    """A clock whose sleeps pass at once: ``monotonic()``/``sleep()`` stand in for ``time`` in _session_edits,
    ``clock``/``sleep`` are what CreatorTask and CreatorBatch take; every sleep is recorded."""

    def __init__(self, start=100.0):
        self.now = self.start = start
        self.slept = 0.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    clock = monotonic

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds
        self.slept += seconds

    @property
    def elapsed(self):
        return self.now - self.start
