"""Entry points of the scoring service: grade a batch of submissions from
JSON, and a small command line (``python -m app.main input.json``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Optional

from . import __version__
from .models import Assessment, ModelError, Submission
from .scoring import grade, rank


def settings() -> Dict[str, Any]:
    """Service settings from APP_* environment variables."""
    return {
        "env": os.environ.get("APP_ENV", "development"),
        "min_submissions": int(os.environ.get("APP_MIN_SUBMISSIONS", "1")),
        "version": __version__,
    }


def health() -> Dict[str, str]:
    return {"status": "ok", "version": __version__}


def grade_batch(payload: Dict[str, Any]) -> Dict[str, Any]:
    """Grade every submission of one assessment; returns results and a ranking."""
    try:
        assessment = Assessment.from_dict(payload["assessment"])
        submissions = [Submission.from_dict(s) for s in payload.get("submissions", [])]
    except (KeyError, TypeError, ModelError) as error:
        raise ValueError(f"invalid payload: {error}") from error
    if len(submissions) < settings()["min_submissions"]:
        raise ValueError("not enough submissions to grade")
    results = [dict(grade(assessment, s), user_id=s.user_id) for s in submissions]
    ranking = rank((str(r["user_id"]), float(r["percent"])) for r in results)  # type: ignore[arg-type]
    passed = sum(1 for r in results if r["passed"])
    return {"assessment_id": assessment.id, "results": results, "ranking": ranking, "pass_rate": passed / len(results) if results else 0.0}


def main(argv: Optional[List[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m app.main <submissions.json>", file=sys.stderr)
        return 2
    try:
        with open(args[0], encoding="utf-8") as handle:
            report = grade_batch(json.load(handle))
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
