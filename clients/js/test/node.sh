#!/usr/bin/env bash
# Sourced by test/verify.sh: puts a pinned Node.js and npm first on PATH, installing them once into
# clients/js/.tools/ from the npm registry (packages node-linux-<arch> and npm). The tests never
# depend on which Node the machine happens to have; an installed npm (any version) is only used to
# fetch the pinned one. With no npm at all, Debian's nodejs and npm packages are installed first
# when running as root with apt-get (as CI does); otherwise this says what to install and fails.
# Idempotent: a complete install is marked and reused, a half-finished one is discarded.

UC_NODE_VERSION=20.20.2
UC_NPM_VERSION=10.9.4

uc_node_fail() {
  echo "[clients/js] $*" >&2
  return 1
}

uc_node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) uc_node_fail "no Node.js package for this machine's architecture ($(uname -m)): install Node.js $UC_NODE_VERSION and set UC_NODE_HOME to its directory" ;;
  esac
}

# An npm to fetch the pinned packages with: the machine's, or Debian's installed now.
uc_bootstrap_npm() {
  if command -v npm >/dev/null 2>&1 && npm --version >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "[clients/js] no npm on this machine: installing Debian's nodejs and npm to fetch Node.js $UC_NODE_VERSION with"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null \
      || uc_node_fail "apt-get could not install nodejs and npm"
    return
  fi
  uc_node_fail "npm is needed once, to fetch Node.js $UC_NODE_VERSION for the JavaScript client's tests: install npm (any version), or set UC_NODE_HOME to a Node.js 20+ directory"
}

uc_install_node() {
  local tools="$1" arch="$2" staging
  uc_bootstrap_npm || return 1
  echo "[clients/js] installing Node.js $UC_NODE_VERSION and npm $UC_NPM_VERSION into $tools (once)"
  rm -rf "$tools"
  staging="$tools.partial"
  rm -rf "$staging"
  mkdir -p "$staging"
  (cd "$staging" && echo '{"private":true}' > package.json &&
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      "node-linux-$arch@$UC_NODE_VERSION" "npm@$UC_NPM_VERSION") || uc_node_fail "npm could not install node-linux-$arch@$UC_NODE_VERSION and npm@$UC_NPM_VERSION" || return 1
  mkdir -p "$staging/bin"
  ln -s "../node_modules/node-linux-$arch/bin/node" "$staging/bin/node"
  printf '#!/usr/bin/env bash\nexec "$(dirname "$0")/node" "$(dirname "$0")/../node_modules/npm/bin/npm-cli.js" "$@"\n' > "$staging/bin/npm"
  printf '#!/usr/bin/env bash\nexec "$(dirname "$0")/node" "$(dirname "$0")/../node_modules/npm/bin/npx-cli.js" "$@"\n' > "$staging/bin/npx"
  chmod +x "$staging/bin/npm" "$staging/bin/npx"
  "$staging/bin/node" --version >/dev/null || uc_node_fail "the installed Node.js does not run on this machine" || return 1
  echo "$UC_NODE_VERSION $UC_NPM_VERSION" > "$staging/installed"
  mv "$staging" "$tools"
}

# Sets PATH so that node and npm are the pinned ones (or UC_NODE_HOME's, when set).
uc_use_node() {
  local home="$1" tools arch
  if [ -n "${UC_NODE_HOME:-}" ]; then
    [ -x "$UC_NODE_HOME/bin/node" ] || uc_node_fail "UC_NODE_HOME=$UC_NODE_HOME has no bin/node" || return 1
    PATH="$UC_NODE_HOME/bin:$PATH"
  else
    tools="$home/.tools/node"
    if [ "$(cat "$tools/installed" 2>/dev/null)" != "$UC_NODE_VERSION $UC_NPM_VERSION" ]; then
      arch="$(uc_node_arch)" || return 1
      uc_install_node "$tools" "$arch" || return 1
    fi
    PATH="$tools/bin:$PATH"
  fi
  export PATH
  hash -r
  echo "[clients/js] node $(node --version) ($(command -v node)), npm $(npm --version)"
}
