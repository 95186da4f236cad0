# tools/deps.sh — sourced by the quick-start scripts and CI: makes sure the Debian packages
# symshape builds with are present. Installs them with apt-get when run as root (or through sudo),
# otherwise prints the exact command to run and stops.
symshape_packages="meson ninja-build g++ libboost-dev doctest-dev nlohmann-json3-dev pkg-config python3"

symshape_missing() {
    local missing=""
    command -v meson >/dev/null 2>&1 || missing="$missing meson"
    command -v ninja >/dev/null 2>&1 || missing="$missing ninja-build"
    command -v g++ >/dev/null 2>&1 || missing="$missing g++"
    command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
    command -v python3 >/dev/null 2>&1 || missing="$missing python3"
    [ -f /usr/include/boost/multiprecision/cpp_int.hpp ] || missing="$missing libboost-dev"
    [ -f /usr/include/doctest/doctest.h ] || missing="$missing doctest-dev"
    [ -f /usr/include/nlohmann/json.hpp ] || missing="$missing nlohmann-json3-dev"
    echo "$missing"
}

# Installs the Debian packages named with apt-get (as root, or through password-less sudo);
# otherwise prints the exact command to run and fails.
symshape_apt_install() {
    echo "symshape: missing packages: $*"
    local apt="apt-get"
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            apt="sudo apt-get"
        else
            echo "symshape: run this, then try again:"
            echo "    sudo apt-get update && sudo apt-get install -y $*"
            return 1
        fi
    fi
    DEBIAN_FRONTEND=noninteractive $apt update -qq || return 1
    DEBIAN_FRONTEND=noninteractive $apt install -y -qq --no-install-recommends "$@" || return 1
}

symshape_ensure_deps() {
    local missing
    missing=$(symshape_missing)
    [ -z "$missing" ] && return 0
    # shellcheck disable=SC2086 # one word per package
    symshape_apt_install $missing || return 1
    missing=$(symshape_missing)
    if [ -n "$missing" ]; then
        echo "symshape: still missing after install:$missing"
        return 1
    fi
}

# Installs the named packages that are missing (each package's command has its name): what only
# CI's checks need (cmake for the consumer check).
symshape_ensure_packages() {
    local missing=() p
    for p in "$@"; do command -v "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    symshape_apt_install "${missing[@]}"
}

# Configures (once, with the default options) and builds the build directory $1: every target,
# or only the ninja targets named after it.
symshape_build() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" || return 1
    fi
    ninja -C "$dir" "$@" || return 1
}

# Configures (once) the build directory $1 with the remaining meson options, and builds it.
symshape_build_with() {
    local dir=$1
    shift
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" "$@" || return 1
    fi
    ninja -C "$dir" || return 1
}
