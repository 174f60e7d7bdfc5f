#!/usr/bin/env bash
# Installs code-server (a real VS Code: workbench + Node extension host) into a cache folder
# outside the repo, for the extension-host and end-to-end tests. Idempotent: a marker file is
# written only after every step and a smoke start succeeded, so a half-done install is redone.
#
#   scripts/install-code-server.sh          # install if needed; prints the install dir on stdout
#   LAYERLENS_CACHE=/some/dir scripts/install-code-server.sh
#   LAYERLENS_CODE_SERVER_DIR=/exact/dir scripts/install-code-server.sh
#
# Progress goes to stderr; stdout carries only the install dir, so `dir=$(scripts/...)` works.
#
# Why these steps (see docs/environment.md, "A real VS Code, in a real browser"): code-server's
# own install scripts download ripgrep from GitHub, which fails without internet. So everything
# is installed with --ignore-scripts, Debian's rg is copied in, and native modules are rebuilt
# explicitly with `npm rebuild` (which, unlike `npm install` on npm 11, always runs build scripts).
set -euo pipefail

VERSION=4.100.3
CACHE_ROOT=${LAYERLENS_CACHE:-$HOME/.cache/layerlens}
DIR=${LAYERLENS_CODE_SERVER_DIR:-$CACHE_ROOT/code-server-$VERSION}
MARKER="$DIR/.layerlens-install-ok"
PKG="$DIR/node_modules/code-server"
VSCODE="$PKG/lib/vscode"

# Everything (npm's chatter included) goes to stderr; fd 3 keeps the real stdout for the result.
exec 3>&1 1>&2
log() { printf '[install-code-server] %s\n' "$*"; }
step() { log "$* ($(( SECONDS ))s)"; }

case "$DIR" in
  ''|/|"$HOME"|"$HOME/") log "refusing to install into '$DIR': it is removed and recreated"; exit 2 ;;
esac

if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$VERSION" ]]; then
  log "code-server $VERSION already installed in $DIR"
  echo "$DIR" >&3
  exit 0
fi

# --- system packages (fast no-op when present) -------------------------------------------
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v rg >/dev/null || missing+=(ripgrep)
command -v pkg-config >/dev/null || missing+=(pkg-config)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)          # kerberos native module
{ command -v make && command -v g++; } >/dev/null || missing+=(build-essential)  # node-gyp
command -v python3 >/dev/null || missing+=(python3)                     # node-gyp
command -v flock >/dev/null || missing+=(util-linux)
if (( ${#missing[@]} )); then
  SUDO=; [[ $(id -u) == 0 ]] || SUDO=sudo
  step "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# Serialise concurrent installs (parallel CI jobs or test processes sharing one cache).
mkdir -p "$CACHE_ROOT"
exec 9>"$CACHE_ROOT/code-server-$VERSION.lock"
flock 9
if [[ -f "$MARKER" && "$(cat "$MARKER")" == "$VERSION" ]]; then
  log "code-server $VERSION was installed by a concurrent run"
  echo "$DIR" >&3
  exit 0
fi

NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
[[ "$NODE_MAJOR" == 20 ]] || log "warning: code-server $VERSION is made for Node 20; this is Node $NODE_MAJOR"
# Node's headers come with the nodejs package (include/node next to bin/node); point node-gyp at
# them so native builds work without downloading headers from nodejs.org.
NODE_PREFIX=$(dirname "$(dirname "$(node -p process.execPath)")")
if [[ -z "${npm_config_nodedir:-}" && -f "$NODE_PREFIX/include/node/node.h" ]]; then
  export npm_config_nodedir="$NODE_PREFIX"
fi
export npm_config_yes=true npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
NPM=(npm --no-progress --loglevel=error)

# A folder without the marker is a half-done install: start over rather than trust it.
step "installing code-server $VERSION into $DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
cd "$DIR"
echo '{"name":"layerlens-code-server-cache","private":true}' > package.json

step "1/6 npm install --ignore-scripts code-server@$VERSION"
"${NPM[@]}" install --ignore-scripts --no-save "code-server@$VERSION"

step "2/6 npm install --omit=dev --ignore-scripts (lib/vscode)"
(cd "$VSCODE" && "${NPM[@]}" install --omit=dev --ignore-scripts)

step "3/6 ripgrep from /usr/bin/rg"
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"

step "4/6 npm rebuild (lib/vscode native modules)"
(cd "$VSCODE" && "${NPM[@]}" rebuild)
(cd "$VSCODE" && ln -sfn node_modules node_modules.asar)
(cd "$VSCODE/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$VSCODE/bin/helpers" && ln -sfn browser-linux.sh browser.sh)

step "5/6 npm install --omit=dev (built-in extensions)"
(cd "$VSCODE/extensions" && "${NPM[@]}" install --omit=dev)

step "6/6 npm rebuild argon2"
(cd "$DIR" && "${NPM[@]}" rebuild argon2)

# --- verify: every native module loads, and code-server really starts ----------------------
step "verifying native modules"
(cd "$VSCODE" && node -e '
  const mods = ["@vscode/spdlog", "node-pty", "@parcel/watcher", "native-watchdog", "kerberos", "@vscode/deviceid"];
  const failed = [];
  for (const m of mods) { try { require(m); } catch (e) { failed.push(m + ": " + e.message.split("\n")[0]); } }
  if (failed.length) { console.error(failed.join("\n")); process.exit(1); }
')
(cd "$DIR" && node -e 'require("argon2")')

step "smoke start"
SMOKE=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
"$PKG/out/node/entry.js" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry \
  --disable-update-check --user-data-dir "$SMOKE/u" --extensions-dir "$SMOKE/e" "$SMOKE" \
  >"$SMOKE/log" 2>&1 &
SMOKE_PID=$!
ok=0
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
      "http://127.0.0.1:$PORT/healthz"; then ok=1; break; fi
  kill -0 "$SMOKE_PID" 2>/dev/null || break
  sleep 0.5
done
kill "$SMOKE_PID" 2>/dev/null || true
wait "$SMOKE_PID" 2>/dev/null || true
if (( ! ok )); then
  log "code-server did not answer; its log:"; cat "$SMOKE/log"
  rm -rf "$SMOKE"
  exit 1
fi
rm -rf "$SMOKE"

echo "$VERSION" > "$MARKER"
step "done: code-server $VERSION in $DIR"
echo "$DIR" >&3
