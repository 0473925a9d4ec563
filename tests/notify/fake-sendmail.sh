#!/bin/sh
# fake-sendmail.sh: stands for sendmail(1) in the notification tests. Records its arguments and
# the message it reads into $FAKE_SENDMAIL_DIR/N.args and N.mail, then exits
# $FAKE_SENDMAIL_EXIT (default 0). With $FAKE_SENDMAIL_SLEEP, it first sleeps that long (a
# sendmail that hangs).
d=${FAKE_SENDMAIL_DIR:?}
[ -n "${FAKE_SENDMAIL_SLEEP:-}" ] && exec sleep "$FAKE_SENDMAIL_SLEEP"
n=$(ls "$d" | grep -c '\.mail$')
printf '%s\n' "$@" > "$d/$n.args"
cat > "$d/$n.mail"
exit "${FAKE_SENDMAIL_EXIT:-0}"
