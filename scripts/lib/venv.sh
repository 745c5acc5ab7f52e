# shellcheck shell=bash
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sourced by scripts/test and scripts/demo: Debian packages and the controller virtualenv.
# Needs VENV (virtualenv path) and REQUIREMENTS (pip requirements file) set by the caller.

apt_install_missing() {
    local pkg missing=()
    for pkg in "$@"; do
        if [[ $(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null) != "install ok installed" ]]; then
            missing+=("$pkg")
        fi
    done
    if (( ${#missing[@]} == 0 )); then
        return 0
    fi
    if (( EUID != 0 )); then
        echo "${0##*/}: missing Debian packages: ${missing[*]}; run as root or install them" >&2
        return 1
    fi
    echo "${0##*/}: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

pick_python() {
    local candidate
    for candidate in ${TORRENTOPS_PYTHON:-} python3.11 python3; do
        if command -v "$candidate" >/dev/null 2>&1; then
            command -v "$candidate"
            return 0
        fi
    done
    echo "${0##*/}: no python3 found (set TORRENTOPS_PYTHON)" >&2
    return 1
}

setup_venv() {
    local python stamp want
    python=$(pick_python)
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian's own Python keeps venv/ensurepip in a separate package
        apt_install_missing "python3-venv"
    fi
    want=$( { sha256sum <"$REQUIREMENTS"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
    mkdir -p "$(dirname "$VENV")"
    exec 9>"$VENV.lock"
    flock 9   # another run on this machine may be setting up the same virtualenv
    stamp=$VENV/.torrentops-requirements.sha256
    if [[ -x $VENV/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]] && "$VENV/bin/python" -c 'import ansible' 2>/dev/null; then
        echo "${0##*/}: virtualenv $VENV is up to date with tests/requirements-dev.txt"
    else
        if ! "$VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
            echo "${0##*/}: creating virtualenv $VENV with $python"
            rm -rf "$VENV"
            "$python" -m venv "$VENV"
        fi
        echo "${0##*/}: installing tests/requirements-dev.txt into $VENV"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQUIREMENTS"
        echo "$want" >"$stamp"
    fi
    exec 9>&-
}

