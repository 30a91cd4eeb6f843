"""Scoring rules: points per question, percentages, pass/fail and rankings."""

from __future__ import annotations

from typing import Dict, Iterable, List, Sequence, Tuple

from .models import Assessment, Question, Submission


def normalise(answer: str) -> str:
    """Answers compare without case or surrounding whitespace."""
    return " ".join(answer.split()).lower()


def score_question(question: Question, answers: Sequence[str]) -> int:
    """Points earned: all or nothing; multiple choice needs exactly the right set."""
    given = sorted(normalise(a) for a in answers)
    correct = sorted(normalise(a) for a in question.correct_answers)
    if question.kind in ("single_choice", "text"):
        return question.points if len(given) == 1 and given[0] in correct else 0
    return question.points if given == correct else 0


def score_submission(assessment: Assessment, submission: Submission) -> int:
    """Total points of a submission."""
    return sum(score_question(q, submission.answers.get(q.id, [])) for q in assessment.questions)


def percentage(score: int, max_score: int) -> float:
    """Score as a percentage rounded to one decimal; 0 when nothing can be scored."""
    if max_score <= 0:
        return 0.0
    return round(100.0 * score / max_score, 1)


def grade(assessment: Assessment, submission: Submission) -> Dict[str, object]:
    """The result of a submission as the API returns it."""
    if submission.assessment_id != assessment.id:
        raise ValueError(f"submission {submission.id} is for another assessment")
    score = score_submission(assessment, submission)
    percent = percentage(score, assessment.max_score)
    return {"submission_id": submission.id, "score": score, "max_score": assessment.max_score, "percent": percent, "passed": percent >= assessment.passing_score}


def rank(results: Iterable[Tuple[str, float]]) -> List[Tuple[int, str, float]]:
    """Competition ranking (1, 2, 2, 4) by percentage, best first; ties keep name order."""
    ordered = sorted(results, key=lambda item: (-item[1], item[0]))
    ranked: List[Tuple[int, str, float]] = []
    for index, (name, percent) in enumerate(ordered):
        position = ranked[-1][0] if ranked and ranked[-1][2] == percent else index + 1
        ranked.append((position, name, percent))
    return ranked
