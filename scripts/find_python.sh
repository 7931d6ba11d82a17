#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 supports 3.8-3.10 only), or explain how
# to get one and exit 1. Order: $PYTHON, python3.10 on PATH, pyenv's 3.10.x, the known pyenv path.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -rV); do
    candidates+=("$(pyenv root)/versions/$v/bin/python")
  done
fi
for p in /root/.pyenv/versions/3.10*/bin/python "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
ERROR: no Python 3.10 interpreter found. Rasa Open Source 3.6 runs on Python 3.8-3.10 only.
Fix, one of:
  - pyenv install 3.10.13          (then run make again)
  - apt-get install python3.10 python3.10-venv   (where your distribution has it)
  - make run PYTHON=/path/to/python3.10
MSG
exit 1
