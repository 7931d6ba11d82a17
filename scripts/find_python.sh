#!/usr/bin/env bash
# Print the path of the NEWEST Python 3.10 interpreter on this machine (Rasa 3.6 supports 3.8-3.10
# only), or explain how to get one and exit 1. Python 3.10 is past its end of life (October 2026):
# its last patch releases carry the last security fixes CPython made, so the highest 3.10.x wins
# (docs/production.md). $PYTHON, when set, is used as given (it must be a 3.10).
# Looked at: python3.10 on PATH, pyenv's 3.10.x versions, ~/.pyenv and /root/.pyenv, /usr/bin,
# /usr/local/bin.
set -u
version_of() { "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null; }
if [ -n "${PYTHON:-}" ]; then
  case "$(version_of "$PYTHON")" in
    3.10.*) echo "$PYTHON"; exit 0 ;;
    *) echo "ERROR: PYTHON=$PYTHON is not a Python 3.10 interpreter (Rasa 3.6 needs 3.10)." >&2; exit 1 ;;
  esac
fi
candidates=()
command -v python3.10 >/dev/null 2>&1 && candidates+=("$(command -v python3.10)")
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)'); do
    candidates+=("$(pyenv root)/versions/$v/bin/python")
  done
fi
for p in /root/.pyenv/versions/3.10*/bin/python "$HOME"/.pyenv/versions/3.10*/bin/python /usr/bin/python3.10 /usr/local/bin/python3.10; do
  [ -x "$p" ] && candidates+=("$p")
done
best="" best_version=""
for c in "${candidates[@]}"; do
  v=$(version_of "$c") || continue
  case "$v" in 3.10.*) ;; *) continue ;; esac
  if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_version" "$v" | sort -V | tail -1)" = "$v" ] && [ "$v" != "$best_version" ]; then
    best=$c best_version=$v
  fi
done
if [ -n "$best" ]; then echo "$best"; exit 0; fi
cat >&2 <<'MSG'
ERROR: no Python 3.10 interpreter found. Rasa Open Source 3.6 runs on Python 3.8-3.10 only.
Fix, one of:
  - pyenv install 3.10     (the newest 3.10.x; then run make again)
  - apt-get install python3.10 python3.10-venv   (where your distribution has it)
  - make run PYTHON=/path/to/python3.10
MSG
exit 1
