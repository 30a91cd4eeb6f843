"""Data the scoring service works with, validated on construction."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List

QUESTION_KINDS = ("single_choice", "multiple_choice", "text")
STATUSES = ("draft", "published", "closed")


class ModelError(ValueError):
    """A record that does not hold together; the message names the field."""


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    kind: str = "single_choice"
    options: List[str] = field(default_factory=list)
    correct_answers: List[str] = field(default_factory=list)
    points: int = 1

    def __post_init__(self) -> None:
        if self.kind not in QUESTION_KINDS:
            raise ModelError(f"kind must be one of {', '.join(QUESTION_KINDS)}")
        if self.points < 0:
            raise ModelError("points must not be negative")
        if self.kind != "text" and any(a not in self.options for a in self.correct_answers):
            raise ModelError("every correct answer must be one of the options")

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Question":
        return cls(
            id=str(data["id"]),
            prompt=str(data.get("prompt", "")),
            kind=str(data.get("kind", "single_choice")),
            options=list(data.get("options", [])),
            correct_answers=list(data.get("correct_answers", [])),
            points=int(data.get("points", 1)),
        )


@dataclass(frozen=True)
class Assessment:
    id: str
    title: str
    questions: List[Question] = field(default_factory=list)
    passing_score: int = 70
    status: str = "published"

    def __post_init__(self) -> None:
        if not 0 <= self.passing_score <= 100:
            raise ModelError("passing_score must be between 0 and 100")
        if self.status not in STATUSES:
            raise ModelError(f"status must be one of {', '.join(STATUSES)}")

    @property
    def max_score(self) -> int:
        return sum(q.points for q in self.questions)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Assessment":
        return cls(
            id=str(data["id"]),
            title=str(data.get("title", "")),
            questions=[Question.from_dict(q) for q in data.get("questions", [])],
            passing_score=int(data.get("passing_score", 70)),
            status=str(data.get("status", "published")),
        )


@dataclass(frozen=True)
class Submission:
    id: str
    assessment_id: str
    user_id: str
    answers: Dict[str, List[str]] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Submission":
        answers = {str(k): [str(a) for a in v] for k, v in dict(data.get("answers", {})).items()}
        return cls(id=str(data["id"]), assessment_id=str(data["assessment_id"]), user_id=str(data["user_id"]), answers=answers)
