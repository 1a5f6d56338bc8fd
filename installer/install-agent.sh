#!/usr/bin/env bash
# Installs bookbridge-agent on a Linux host with systemd: the binary, the systemd unit, the
# `bookbridge` system user, /etc/bookbridge (0750) with an example config, and the state dir
# (0700). Idempotent: run it again to upgrade; an existing agent.json is never overwritten.
#
# Usage: sudo installer/install-agent.sh [--binary PATH] [--prefix DIR] [--start]
#   --binary PATH  the built agent (default: build/agent/bookbridge-agent, then build-*/...)
#   --prefix DIR   install under DIR/bin (default /usr/local)
#   --start        (re)start the service when the config is valid (default: enable only)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary=""
prefix="/usr/local"
start=0
while (($#)); do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --prefix) prefix="$2"; shift 2 ;;
    --start) start=1; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "install-agent: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [[ $(id -u) -ne 0 ]]; then
  echo "install-agent: run as root (sudo $0 ...)" >&2
  exit 1
fi
if [[ -z "$binary" ]]; then
  for candidate in "$repo"/build/agent/bookbridge-agent "$repo"/build-*/agent/bookbridge-agent; do
    if [[ -x "$candidate" ]]; then binary="$candidate"; break; fi
  done
fi
if [[ -z "$binary" || ! -x "$binary" ]]; then
  echo "install-agent: no built bookbridge-agent found; build it (cmake --build build) or pass --binary" >&2
  exit 1
fi

user=bookbridge
config_dir=/etc/bookbridge
state_dir=/var/lib/bookbridge-agent
log_dir=/var/log/bookbridge
unit=/etc/systemd/system/bookbridge-agent.service

echo "install-agent: installing $("$binary" --version) to $prefix/bin"
install -d -m 0755 "$prefix/bin"
# Copy then rename: a running agent keeps its old inode, the next start gets the new binary.
install -m 0755 "$binary" "$prefix/bin/.bookbridge-agent.new"
mv -f "$prefix/bin/.bookbridge-agent.new" "$prefix/bin/bookbridge-agent"

if ! getent group "$user" >/dev/null; then
  groupadd --system "$user"
fi
if ! getent passwd "$user" >/dev/null; then
  useradd --system --gid "$user" --home-dir "$state_dir" --no-create-home \
    --shell /usr/sbin/nologin --comment "Bookbridge agent" "$user"
fi

install -d -m 0750 -o root -g "$user" "$config_dir"
install -d -m 0700 -o "$user" -g "$user" "$state_dir"
install -d -m 0750 -o "$user" -g "$user" "$log_dir"
install -m 0644 -o root -g root "$repo/installer/agent.example.json" "$config_dir/agent.example.json"
if [[ ! -e "$config_dir/agent.json" ]]; then
  install -m 0640 -o root -g "$user" "$repo/installer/agent.example.json" "$config_dir/agent.json"
  echo "install-agent: wrote $config_dir/agent.json from the example: edit it"
else
  echo "install-agent: keeping the existing $config_dir/agent.json"
fi

sed "s|/usr/local/bin/bookbridge-agent|$prefix/bin/bookbridge-agent|g" \
  "$repo/service-scripts/bookbridge-agent.service" >"$unit.new"
chmod 0644 "$unit.new"
mv -f "$unit.new" "$unit"

config_ok=0
if runuser -u "$user" -- "$prefix/bin/bookbridge-agent" check-config --config "$config_dir/agent.json"; then
  config_ok=1
fi

if [[ -d /run/systemd/system ]]; then
  systemctl daemon-reload
  systemctl enable bookbridge-agent.service >/dev/null
  if ((start)); then
    if ((config_ok)); then
      systemctl restart bookbridge-agent.service
      echo "install-agent: bookbridge-agent (re)started"
    else
      echo "install-agent: not starting: fix the config problems above first" >&2
    fi
  fi
else
  echo "install-agent: systemd is not running here; the unit is installed at $unit"
fi

cat <<NEXT

Next steps:
  1. Edit $config_dir/agent.json (hub.url, hub.caFile, sources) and check it:
       sudo -u $user $prefix/bin/bookbridge-agent check-config
  2. Link each source with its connection's linkUrl (quote it):
       sudo -u $user $prefix/bin/bookbridge-agent link '<linkUrl>' --source <name>
  3. Start it:   sudo systemctl restart bookbridge-agent
     Watch it:   bookbridge-agent status; journalctl -u bookbridge-agent -f
NEXT
