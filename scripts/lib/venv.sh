# shellcheck shell=bash
# Copyright: (c) 2026, torrentops.qbittorrent contributors
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
#
# Sourced by scripts/test and scripts/demo: Debian packages and the controller virtualenvs, one per ansible-core
# version, each from tests/requirements/ansible-X.Y.txt (which includes tests/requirements/common.txt).
#
#   ansible_python X.Y        the controller Python (major.minor) used for ansible-core X.Y
#   find_python 3.13          an interpreter of that Python: $TORRENTOPS_PYTHON_3_13, pyenv, then python3.13 on PATH
#   setup_venv X.Y [DIR]      the virtualenv for ansible-core X.Y (default ~/.cache/torrentops/venv-X.Y), (re)installed
#                             only when its requirements files or its interpreter changed; prints nothing on stdout
#   setup_nox_venv X.Y DIR    nox and antsibull-nox (tests/requirements/nox.txt) with X.Y's Python, the same way

VENV_PROJECT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
SUPPORTED_ANSIBLE_VERSIONS=(2.18 2.19 2.20 2.21)

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
    echo "${0##*/}: installing Debian packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# The controller Python of each ansible-core version: the oldest and newest it supports that CI covers.
# 2.18 and 2.19: Python 3.11-3.13; 2.20 and 2.21: 3.12-3.14 (ansible-core's own requirement).
ansible_python() {
    case $1 in
        2.18|2.19) echo 3.11 ;;
        2.20) echo 3.12 ;;
        2.21) echo 3.13 ;;
        *) echo "${0##*/}: unsupported ansible-core version '$1' (supported: ${SUPPORTED_ANSIBLE_VERSIONS[*]})" >&2
           return 1 ;;
    esac
}

python_is() {  # INTERPRETER MAJOR.MINOR: the interpreter runs and is that version
    [[ $("$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) == "$2" ]]
}

find_python() {  # MAJOR.MINOR -> path of an interpreter of that version
    local want=$1 var candidate prefix
    var=TORRENTOPS_PYTHON_${want//./_}
    candidate=${!var:-}
    if [[ -n $candidate ]]; then
        if python_is "$candidate" "$want"; then echo "$candidate"; return 0; fi
        echo "${0##*/}: $var=$candidate is not a working Python $want" >&2
        return 1
    fi
    # pyenv: the newest installed $want.x (pyenv's shims on PATH do not run a version that is not selected)
    if command -v pyenv >/dev/null 2>&1; then
        prefix=$(pyenv prefix "$want" 2>/dev/null | head -n1 || true)
        if [[ -z $prefix ]]; then
            prefix=$(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}\.[0-9]+$" | sort -V | tail -n1 || true)
            [[ -n $prefix ]] && prefix=$(pyenv root)/versions/$prefix
        fi
        if [[ -n $prefix ]] && python_is "$prefix/bin/python$want" "$want"; then
            echo "$prefix/bin/python$want"; return 0
        fi
    fi
    for candidate in "python$want" "/usr/local/bin/python$want" "/usr/bin/python$want"; do
        if command -v "$candidate" >/dev/null 2>&1 && python_is "$(command -v "$candidate")" "$want"; then
            command -v "$candidate"; return 0
        fi
    done
    cat >&2 <<EOF
${0##*/}: no Python $want found (looked at \$$var, \`pyenv prefix $want\`, python$want on PATH).
  Debian 12 ships only Python 3.11, and Debian 13's python$want cannot be installed on Debian 12.  Either
  - build it with pyenv (https://github.com/pyenv/pyenv#installation; needs python.org): pyenv install $want, or
  - install it any other way and point $var at the interpreter, or
  - skip this ansible-core version: TORRENTOPS_ANSIBLE_VERSIONS="2.18 2.19" scripts/test ...
EOF
    return 1
}

requirements_digest() {  # FILE: sha256 of FILE and, recursively, of the files it includes with -r
    local file=$1 dir line
    dir=$(dirname "$file")
    {
        sha256sum <"$file"
        while read -r line; do
            case $line in
                -r\ *|--requirement\ *) requirements_digest "$dir/${line#* }" ;;
            esac
        done <"$file"
    } | sha256sum | cut -d' ' -f1
}

setup_venv() {  # ANSIBLE_VERSION [VENV_DIR]
    local version=$1 venv=${2:-$HOME/.cache/torrentops/venv-$1} requirements
    requirements=$VENV_PROJECT_DIR/tests/requirements/ansible-$version.txt
    if [[ ! -f $requirements ]]; then
        echo "${0##*/}: no $requirements (supported ansible-core versions: ${SUPPORTED_ANSIBLE_VERSIONS[*]})" >&2
        return 1
    fi
    requirements_venv "$(ansible_python "$version")" "$requirements" "$venv" ansible
}

setup_nox_venv() {  # ANSIBLE_VERSION VENV_DIR: nox and antsibull-nox (tests/requirements/nox.txt) with the Python of
    # that ansible-core version: the sessions' virtualenvs are made with nox's own Python
    requirements_venv "$(ansible_python "$1")" "$VENV_PROJECT_DIR/tests/requirements/nox.txt" "$2" antsibull_nox
}

requirements_venv() {  # PYTHON_MINOR REQUIREMENTS VENV_DIR MODULE: VENV_DIR with REQUIREMENTS installed, re-installed
    # only when REQUIREMENTS (and what it includes) or the interpreter changed; MODULE must import from it
    local minor=$1 requirements=$2 venv=$3 module=$4 python stamp want
    python=$(find_python "$minor")
    if ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
        # Debian's own Python keeps venv/ensurepip in a separate package
        apt_install_missing "python$minor-venv"
    fi
    want=$( { requirements_digest "$requirements"; "$python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
    mkdir -p "$(dirname "$venv")"
    exec 9>"$venv.lock"
    flock 9   # another run on this machine may be setting up the same virtualenv
    stamp=$venv/.torrentops-requirements.sha256
    if [[ -x $venv/bin/python && -f $stamp && $(cat "$stamp") == "$want" ]] && "$venv/bin/python" -c "import $module" 2>/dev/null; then
        echo "${0##*/}: virtualenv $venv is up to date with ${requirements#"$VENV_PROJECT_DIR"/}" >&2
    else
        if ! python_is "$venv/bin/python" "$minor"; then
            echo "${0##*/}: creating virtualenv $venv with $python" >&2
            rm -rf "$venv"
            "$python" -m venv "$venv"
        fi
        echo "${0##*/}: installing ${requirements#"$VENV_PROJECT_DIR"/} into $venv" >&2
        "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
        echo "$want" >"$stamp"
    fi
    exec 9>&-
}
