# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the ``get-pip.py`` bootstrap script that ``ansible-test`` downloads.

``ansible-test ... --requirements`` creates a virtual environment without pip for each sanity test and runs
``~/.ansible/test/cache/get_pip_<version>.py`` inside it (downloading it first if it is not cached there) as

    python get_pip_X_Y.py --disable-pip-version-check pip==X.Y --no-setuptools --no-wheel

Its download host is unreachable on our machines, so ``scripts/test`` puts this file at that path.  It bootstraps the
pip bundled with Python (``ensurepip``), then lets that pip install the requested packages (pip==X.Y) from the
configured package index.  ``--no-setuptools`` and ``--no-wheel`` are get-pip's own flags, not pip's: dropped.

``ensurepip`` hides the machine's pip configuration (it sets ``PIP_CONFIG_FILE=/dev/null`` and removes ``PIP_*``
variables in its own process); the environment is restored before the second pip call so that the CA bundle and the
package indexes from ``/etc/pip.conf`` apply.
"""

import ensurepip
import os
import subprocess
import sys

MARKER = "torrentops get-pip stand-in"  # scripts/test only overwrites a cached file that contains this marker

GET_PIP_ONLY_FLAGS = ("--no-setuptools", "--no-wheel")


def main():
    args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_FLAGS]
    saved_environ = dict(os.environ)
    ensurepip.bootstrap()
    os.environ.clear()
    os.environ.update(saved_environ)
    if not args:
        return 0
    return subprocess.call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    sys.exit(main())
