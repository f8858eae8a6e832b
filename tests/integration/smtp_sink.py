#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# An SMTP sink for tests/integration/smtp_alert.sh: Python's own SMTP server
# (the standard library's smtpd, deprecated but shipped with 3.11) on
# ADDR PORT, writing each message it accepts to DIR/NNN.eml as
#   helo: NAME
#   from: ADDRESS
#   to: ADDRESS,ADDRESS
#   <blank line>
#   the message as received (dot-unstuffed, LF line ends)
# and its pid to DIR/sink.pid once it listens. It ends on SIGTERM or after
# 300 s.
import os
import signal
import sys
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import asyncore  # noqa: E402
import smtpd  # noqa: E402

addr, port, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
count = 0


class Channel(smtpd.SMTPChannel):
    def smtp_HELO(self, arg):
        self.helo_name = arg
        super().smtp_HELO(arg)


class Sink(smtpd.SMTPServer):
    channel_class = Channel

    def process_message(self, peer, mailfrom, rcpttos, data, **kw):
        global count
        count += 1
        helo = "?"
        for ch in asyncore.socket_map.values():
            if isinstance(ch, Channel) and ch.peer == peer:
                helo = getattr(ch, "helo_name", "?")
        path = os.path.join(out, "%03d.eml" % count)
        with open(path + ".tmp", "w") as f:
            f.write("helo: %s\nfrom: %s\nto: %s\n\n%s\n" %
                    (helo, mailfrom, ",".join(rcpttos), data))
        os.rename(path + ".tmp", path)
        return None


Sink((addr, port), None, decode_data=True)
with open(os.path.join(out, "sink.pid"), "w") as f:
    f.write("%d\n" % os.getpid())
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
signal.alarm(300)
asyncore.loop(timeout=0.2)
