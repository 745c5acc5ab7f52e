# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection's antsibull-nox sessions; antsibull-nox.toml says which, scripts/test runs them (lint, build)."""

from __future__ import annotations

import sys

import nox

try:
    import antsibull_nox
except ImportError:
    print("antsibull-nox must be installed next to nox (tests/requirements/nox.txt pins both)")
    sys.exit(1)

antsibull_nox.load_antsibull_nox_toml()

# nox without -e runs what the test machines can run (the sessions antsibull-nox.toml makes default)
nox.options.error_on_missing_interpreters = True
