#!/bin/sh
# fake-sendmail.sh: stands for sendmail(1) in the notification tests. Records its arguments and
# the message it reads into $FAKE_SENDMAIL_DIR/N.args and N.mail, then exits
# $FAKE_SENDMAIL_EXIT (default 0).
d=${FAKE_SENDMAIL_DIR:?}
n=$(ls "$d" | grep -c '\.mail$')
printf '%s\n' "$@" > "$d/$n.args"
cat > "$d/$n.mail"
exit "${FAKE_SENDMAIL_EXIT:-0}"
