#!/usr/bin/python3
"""Reads the messages a test's SMTP server wrote (aiosmtpd's Mailbox handler, a Maildir) and prints
them as JSON for mail_test.cpp: envelope recipient, Message-ID, decoded subject, the text and HTML
parts, and each attachment saved to OUT_DIR (so pdftotext can read it).

    read_maildir.py MAILDIR OUT_DIR
"""
import email
import email.policy
import json
import mailbox
import os
import sys


def main():
    maildir, out_dir = sys.argv[1], sys.argv[2]
    messages = []
    if os.path.isdir(os.path.join(maildir, "new")):
        box = mailbox.Maildir(maildir, factory=None, create=False)
        for key in sorted(box.keys()):
            with box.get_file(key) as f:
                msg = email.message_from_binary_file(f, policy=email.policy.default)
            item = {
                "key": key,
                "rcpt_to": str(msg.get("X-RcptTo", "")),
                "message_id": str(msg.get("Message-ID", "")),
                "from": str(msg.get("From", "")),
                "subject": str(msg.get("Subject", "")),
                "content_type": msg.get_content_type(),
                "text": "",
                "html": "",
                "attachments": [],
            }
            for part in msg.walk():
                if part.is_multipart():
                    continue
                if part.get_filename():
                    path = os.path.join(out_dir, key + "-" + part.get_filename())
                    with open(path, "wb") as out:
                        out.write(part.get_payload(decode=True))
                    item["attachments"].append(
                        {"filename": part.get_filename(), "content_type": part.get_content_type(), "path": path})
                elif part.get_content_type() == "text/plain":
                    item["text"] = part.get_content()
                elif part.get_content_type() == "text/html":
                    item["html"] = part.get_content()
            messages.append(item)
    json.dump(messages, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
