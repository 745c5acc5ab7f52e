#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: qbt_rss_subscription
short_description: Make a qBittorrent follow a torrent feed with an RSS auto-download rule
version_added: 0.3.0
description:
  - Makes a qBittorrent server download (and then seed) every torrent a feed lists, for example the release feed
    M(torrentops.qbittorrent.qbt_releases) writes (its C(feed) option). The feed O(url) goes into qBittorrent's RSS reader
    (named O(feed_name)) with an auto-download rule O(name) for it, with the save path, category, tags and filters
    asked for.
  - Turns on the two preferences without which qBittorrent downloads nothing from feeds, C(rss_processing_enabled)
    (feeds are fetched) and C(rss_auto_downloading_enabled) (rules are applied); they are never turned off.
  - qBittorrent takes each item's C(application/x-bittorrent) enclosure (else a magnet link), identifies items by their
    C(guid) and adds each matching item once. It fetches feeds every C(rss_refresh_interval) minutes (a preference),
    or every O(refresh_interval) seconds for this feed on qBittorrent 5.2 and newer. When the module changes
    anything it asks for the feed at once, so what the feed already lists is added right away.
  - The feed is found by its URL anywhere in the RSS tree (qBittorrent allows one feed per URL); it is moved to
    O(feed_name) if it is elsewhere. The rule is changed only in the keys the options set; an option left unset is
    left as it is (a new rule gets qBittorrent's defaults).
  - V(absent) removes the rule and the feed; the torrents they added stay, with their data.
  - Works with qBittorrent 4.5 and newer. O(tags) needs qBittorrent 4.6 (4.5's rules cannot tag what they add);
    O(refresh_interval) needs 5.2.
author:
  - Torrentops maintainers (@torrentops)
extends_documentation_fragment:
  - torrentops.qbittorrent.connection
  - torrentops.qbittorrent.attributes
  - torrentops.qbittorrent.secrets
attributes:
  check_mode:
    support: full
    details: Reads the feeds, rules and preferences and reports what it would change; sends no change.
  diff_mode:
    support: full
    details: Before and after are the feed (name, URL, refresh interval), the rule's managed keys and the two
      preferences.
  idempotent:
    support: full
options:
  name:
    description:
      - Name of the auto-download rule; also the feed's name unless O(feed_name) is set.
    type: str
    required: true
  url:
    description:
      - URL of the feed (http or https). Required with O(state=present).
      - With O(state=absent), the feed with this URL is removed; unset, the feed named O(feed_name).
    type: str
  feed_name:
    description:
      - Name of the feed in qBittorrent's RSS reader (at the top of its tree). Default O(name).
    type: str
  state:
    description:
      - V(present) makes sure the feed and the rule exist as asked, and the RSS preferences are on.
      - V(absent) removes the rule and the feed. Torrents they added stay in the session with their data; the
        preferences are left as they are.
    type: str
    choices: [present, absent]
    default: present
  enabled:
    description:
      - Whether the rule is enabled.
    type: bool
    default: true
  save_path:
    description:
      - Directory, as qBittorrent sees it, where the torrents the rule adds are saved (automatic torrent management
        is then off for them, so that they stay there). Unset, qBittorrent's default (or the category's path).
    type: str
  category:
    description:
      - Category of the torrents the rule adds (qBittorrent creates a missing one). An empty string for none.
    type: str
  tags:
    description:
      - Tags of the torrents the rule adds. Needs qBittorrent 4.6 or newer; an empty list for none.
    type: list
    elements: str
  must_contain:
    description:
      - Only items whose title matches are added (qBittorrent's syntax - words separated by spaces must all appear,
        C(|) separates alternatives, C(*) and C(?) are wildcards - or a regular expression with O(use_regex)). Empty
        matches every item.
    type: str
  must_not_contain:
    description:
      - Items whose title matches are not added (same syntax as O(must_contain)).
    type: str
  use_regex:
    description:
      - O(must_contain) and O(must_not_contain) are regular expressions.
    type: bool
  add_stopped:
    description:
      - Add the torrents stopped (V(true)) or started (V(false)). Unset, qBittorrent's own setting decides. A volunteer
        seeder wants V(false).
    type: bool
  refresh_interval:
    description:
      - How often qBittorrent fetches this feed, in seconds; V(0) means the global C(rss_refresh_interval). Needs
        qBittorrent 5.2 (Web API 2.11.5); older servers fail with a message when it is set.
    type: int
notes:
  - qBittorrent does not parse a feed again when its C(lastBuildDate) did not change; the feed of
    M(torrentops.qbittorrent.qbt_releases) changes it exactly when its items change.
  - To download from a feed on the same host or network, nothing else is needed; peers find each other through the
    trackers of the torrents (and DHT, PeX or local peer discovery where they are on).
seealso:
  - module: torrentops.qbittorrent.qbt_releases
"""

EXAMPLES = r"""
- name: Follow the release feed and seed every release it lists
  torrentops.qbittorrent.qbt_rss_subscription:
    host: http://127.0.0.1:8080
    username: admin
    password: "{{ qbittorrent_password }}"
    name: distro-releases
    url: https://releases.example.org/torrents/releases.rss
    save_path: /srv/mirror/releases
    category: distro
    tags: [volunteer]
    must_not_contain: beta
    add_stopped: false
  register: subscription

- name: What changed
  ansible.builtin.debug:
    msg: "{{ subscription.actions }}"

- name: Stop following it (what it downloaded stays and seeds)
  torrentops.qbittorrent.qbt_rss_subscription:
    name: distro-releases
    url: https://releases.example.org/torrents/releases.rss
    state: absent
"""

RETURN = r"""
actions:
  description: What was changed (or would be, in check mode), in words; empty when nothing changed.
  returned: always
  type: list
  elements: str
  sample: ["turned on rss_auto_downloading_enabled, rss_processing_enabled",
           "feed distro-releases added: https://releases.example.org/torrents/releases.rss",
           "rule distro-releases created"]
rule:
  description: The rule as it is now (or would be), in the module's terms; null after O(state=absent).
  returned: always
  type: dict
  contains:
    enabled:
      description: Whether the rule is enabled.
      type: bool
    feeds:
      description: URLs of the feeds the rule applies to.
      type: list
      elements: str
    must_contain:
      description: The must-contain filter.
      type: str
    must_not_contain:
      description: The must-not-contain filter.
      type: str
    use_regex:
      description: Whether the filters are regular expressions.
      type: bool
    save_path:
      description: Save path of the torrents it adds; empty for qBittorrent's default.
      type: str
    category:
      description: Their category.
      type: str
    tags:
      description: Their tags (qBittorrent 4.6 and newer).
      type: list
      elements: str
    add_stopped:
      description: Whether they are added stopped; null for qBittorrent's own setting.
      type: bool
feed:
  description: The feed's name in qBittorrent's RSS reader and its URL.
  returned: always
  type: dict
  sample: {name: distro-releases, url: "https://releases.example.org/torrents/releases.rss"}
server_version:
  description: The qBittorrent version that answered.
  returned: always
  type: str
  sample: 5.1.0
webapi_version:
  description: Its Web API version.
  returned: always
  type: str
  sample: 2.11.4
"""

from ansible_collections.torrentops.qbittorrent.plugins.module_utils._module import ModuleRunner
from ansible_collections.torrentops.qbittorrent.plugins.module_utils._rss_subscription import (
    SubscriptionBackend,
    subscription_argument_spec,
    validate_options,
)


def main() -> None:
    runner = ModuleRunner(subscription_argument_spec(), fastbencode=False)  # a private feed's URL carries a passkey
    with runner.failing(actions=[]):
        validate_options(runner.params)
    client = runner.connect(need_creator=False)
    backend = SubscriptionBackend(runner.params, client, check_mode=runner.check_mode)
    runner.exit(runner.run(backend))


if __name__ == "__main__":
    main()
