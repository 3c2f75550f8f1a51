#!/usr/bin/env bash
# Captures the demo as a user sees it, from the real release binary in tmux, into
# screenshots/: plain text (*.txt, shown in the README) and with colors (*.ansi, view with
# `cat`). Takes about a minute: the demo's raid and gift bomb come at 12 s and 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release
bin=target/release/ttvchat
socket="ttvchat-shots-$$"
tm() { tmux -L "$socket" "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT

wait_for() {
  for _ in $(seq 1 400); do
    tm capture-pane -p -t shots | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  echo "never saw: $1" >&2
  exit 1
}

shot() {
  tm capture-pane -p -t shots > "screenshots/$1.txt"
  tm capture-pane -p -e -t shots > "screenshots/$1.ansi"
  echo "screenshots/$1.txt"
}

tm new-session -d -x 120 -y 40 -s shots "$bin --demo"
start=$(date +%s)
wait_for "connected  as ttvchat_mod"
wait_for "LIVE"
sleep 8
shot demo-main

tm send-keys -t shots F2
sleep 1
shot demo-users
tm send-keys -t shots F2

tm send-keys -t shots C-s
tm send-keys -t shots Up Up Up
tm send-keys -t shots Enter
wait_for "user card"
wait_for "created"
sleep 0.3
shot demo-user-card
tm send-keys -t shots Escape
sleep 0.2
tm send-keys -t shots Escape
sleep 0.2

tm send-keys -t shots C-g
sleep 0.5
shot demo-hints
tm send-keys -t shots Escape
sleep 0.2

tm send-keys -t shots M-2
while [ $(( $(date +%s) - start )) -lt 29 ]; do sleep 0.2; done
wait_for "is gifting 5 subs"
sleep 0.5
shot demo-alerts

tm send-keys -t shots F1
sleep 0.5
shot demo-help
tm send-keys -t shots Escape

tm resize-window -t shots -x 60 -y 15
sleep 0.5
shot demo-60x15
tm send-keys -t shots C-c
