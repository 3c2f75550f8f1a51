#!/usr/bin/env bash
# Smoke tests of the real release binary in a real terminal (tmux): what a user sees.
# Tolerant greps over captured screens; each check waits for its text instead of sleeping.
set -euo pipefail
cd "$(dirname "$0")/../.."

# The binary under test: TTVCHAT_BIN, or the release build.
bin=${TTVCHAT_BIN:-target/release/ttvchat}
[ -x "$bin" ] || cargo build --release
socket="ttvchat-smoke-$$"
# Accounts live in a scratch directory and a file, never the user's own keyring or accounts.
mkdir -p target
export TTVCHAT_DATA_DIR="$PWD/target/smoke-data"
rm -rf "$TTVCHAT_DATA_DIR"
printf '[twitch]\ntoken_store = "file"\n' > target/smoke-file-store.toml
tm() { tmux -L "$socket" "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
# A session that outlives the others, so the server stays up between tests.
tm new-session -d -s keep "sleep 3600"
screen=""

fail() {
  printf 'FAIL: %s\n--- screen:\n%s\n' "$*" "$screen"
  exit 1
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT (5 s at most unless told)
wait_for() {
  for _ in $(seq 1 $(( ${2:-5} * 10 ))); do
    screen=$(tm capture-pane -p -J -t smoke)
    grep -qF -- "$1" <<<"$screen" && return 0
    sleep 0.1
  done
  fail "never saw: $1"
}

start() {
  tm kill-session -t smoke 2>/dev/null || true
  tm new-session -d -x 120 -y 40 -s smoke "$1"
}

echo "smoke: --help lists the commands"
start "$bin --help; sleep 60"
wait_for "Usage: ttvchat"
wait_for "parse"
wait_for "--demo"

echo "smoke: --demo shows live chat in several tabs, sends, and quits cleanly"
start "$bin --demo; echo demo-exited-\$?; sleep 60"
wait_for "#cozycorner"
wait_for "#speedrunsdaily"
wait_for "connected  as ttvchat_mod"
wait_for "Joined #cozycorner."
tm send-keys -t smoke 'hello from the smoke test' Enter
wait_for "hello from the smoke test"
# Dim while pending; drawn plain once the simulator confirmed it with its USERSTATE.
for _ in $(seq 1 50); do
  line=$(tm capture-pane -p -e -t smoke | grep -F "hello from the smoke test" || true)
  [[ "$line" != *$'\e[2m'* ]] && break
  sleep 0.1
done
[[ "$line" != *$'\e[2m'* ]] || fail "the sent message never showed as confirmed"
tm resize-window -t smoke -x 60 -y 15 2>/dev/null || true
tm send-keys -t smoke C-n
wait_for "connected"
tm send-keys -t smoke C-c
wait_for "demo-exited-0"

echo "smoke: --demo: a message AutoMod holds is allowed in two keystrokes"
start "$bin --demo; echo demo-exited-\$?; sleep 60"
wait_for "connected  as ttvchat_mod"
wait_for "held: a allows, D denies" 30
tm send-keys -t smoke M-a
sleep 0.3
tm send-keys -t smoke a
wait_for "✓ allowed by TTVChat_Mod"
tm send-keys -t smoke Escape
echo "smoke: --demo: a whisper opens its conversation; typing there whispers back"
# Alt-W goes to the conversation once the whisper came (within seconds).
for _ in $(seq 1 40); do
  tm send-keys -t smoke M-w
  sleep 0.3
  tm capture-pane -p -t smoke | grep -qF "whisper conversation" && break
done
wait_for "whisper conversation: what you type is whispered"
tm send-keys -t smoke 'on my way' Enter
wait_for "TTVChat_Mod: on my way"
tm send-keys -t smoke '/part' Enter
sleep 0.3
tm send-keys -t smoke C-c
wait_for "demo-exited-0"

echo "smoke: --demo --account cozycorner moderates as the broadcaster"
start "$bin --demo --account cozycorner; echo demo-exited-\$?; sleep 60"
wait_for "connected  as cozycorner"
wait_for "Joined #cozycorner."
tm send-keys -t smoke '/raid speedrunsdaily' Enter
wait_for "The raid on speedrunsdaily is starting"
tm send-keys -t smoke '/unraid' Enter
wait_for "You cancelled the raid."
tm send-keys -t smoke '/slow 20' Enter
wait_for "You turned slow mode on (20s)."
wait_for "slow 20s"
tm send-keys -t smoke C-c
wait_for "demo-exited-0"
start "$bin --demo --account nobody; echo demo-exited-\$?; sleep 60"
wait_for "the demo has no account nobody; its accounts: cozycorner (broadcaster)"
wait_for "demo-exited-1"

echo "smoke: SIGTERM restores the terminal"
start "$bin --demo; echo demo-exited-\$?; tput rmcup >/dev/null 2>&1; stty -a | grep -o ' icanon' ; sleep 60"
wait_for "connected  as ttvchat_mod"
pkill -TERM -P "$(tm display -p -t smoke '#{pane_pid}')" ttvchat
wait_for "demo-exited-0"
wait_for " icanon"

echo "smoke: a panic restores the terminal and says what happened"
examples="$(dirname "$bin")/examples"
[ -x "$examples/panic_restore" ] || cargo build --example panic_restore $([[ "$bin" == *release* ]] && echo --release)
start "$examples/panic_restore; echo exited-\$?; stty -a | grep -o ' icanon\| echo ' ; sleep 60"
wait_for "exited-101"
wait_for "a deliberate panic in a background task"
wait_for " icanon"
wait_for " echo "
[ "$(tm display -p -t smoke '#{alternate_on}')" = 0 ] || fail "still on the alternate screen"
[ "$(tm display -p -t smoke '#{cursor_flag}')" = 1 ] || fail "the cursor is hidden"

echo "smoke: parse answers each typed line at once"
start "$bin parse"
tm send-keys -t smoke ':ann!ann@ann.tmi.twitch.tv PRIVMSG #cozy :hello from tmux 👋' Enter
wait_for '"kind":"privmsg"'
wait_for '"message_text":"hello from tmux 👋"'
tm send-keys -t smoke '@ no tags here' Enter
wait_for "\"ok\":false,\"error\":\"'@' is not followed by any tags\""

echo "smoke: parse --summary over the sample log"
start "$bin parse --summary < assets/sample-chat.log; sleep 60"
wait_for "26 ok, 1 failed"

echo "smoke: sim prints where to connect, then stops on Ctrl-C"
start "$bin sim; echo sim-exited-\$?; sleep 60"
wait_for "irc: ws://127.0.0.1:"
wait_for "helix: http://127.0.0.1:"
wait_for "token cozycorner broadcaster: "
wait_for "token ttvchat_mod moderator: "
wait_for "token ttvchat_viewer viewer: "
tm send-keys -t smoke C-c
wait_for "sim-exited-0"

echo "smoke: -c joins a channel anonymously, read-only"
tm kill-session -t simsrv 2>/dev/null || true
tm new-session -d -x 120 -y 10 -s simsrv "$bin sim"
for _ in $(seq 1 50); do
  irc=$(tm capture-pane -p -t simsrv | sed -n 's/^irc: \(ws:[^ ]*\)$/\1/p' || true)
  [ -n "$irc" ] && break
  sleep 0.1
done
[ -n "$irc" ] || fail "the simulator never printed its address"
start "$bin --config target/smoke-file-store.toml --irc-url $irc -c cozycorner -c artcafe; echo app-exited-\$?; sleep 60"
wait_for "anonymous (read-only)"
wait_for "#artcafe"
wait_for "Joined #cozycorner."
tm send-keys -t smoke 'can I talk' Enter
wait_for "log in to chat"
tm send-keys -t smoke C-c
wait_for "app-exited-0"

echo "smoke: ttvchat login shows a code, and the simulator's approval logs in"
auth=$(tm capture-pane -p -t simsrv | grep -o 'http://127.0.0.1:[0-9]*/oauth2')
data="$TTVCHAT_DATA_DIR"
printf '[twitch]\nclient_id = "ttvchatsim0demo0client0id00000"\nauth_url = "%s"\ntoken_store = "file"\n' "$auth" > target/smoke-login.toml
start "TTVCHAT_DATA_DIR=$data $bin login --config target/smoke-login.toml; echo login-exited-\$?; sleep 60"
wait_for "and enter the code"
approve=$(grep -o 'http://[^ ]*/activate?[^ ]*' <<<"$screen")
python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "&login=ttvchat_viewer").read()' "$approve"
wait_for "Logged in as ttvchat_viewer" 15  # the first poll comes after 5 s, as on Twitch
wait_for "login-exited-0"
[ "$(stat -c %a "$data/credentials.json")" = 600 ] || fail "the token file is readable by others"
start "TTVCHAT_DATA_DIR=$data $bin accounts --config target/smoke-login.toml; sleep 60"
wait_for "ttvchat_viewer (default)"
tm kill-session -t simsrv

echo "smoke: sim names the bad key of a scenario"
printf '[[channel]]\nname = "x"\nslowmode = 3\n' > "target/smoke-bad-scenario.toml"
start "$bin sim --scenario target/smoke-bad-scenario.toml; echo sim-exited-\$?; sleep 60"
wait_for "slowmode"
wait_for "sim-exited-1"

echo "smoke: all passed"
