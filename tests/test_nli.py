"""The optional NLI signal, exercised with a tiny cross-encoder built locally (no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.claims import split_claims
from verify.config import Settings
from verify.errors import UsageError
from verify.extract import extract
from verify.models import Article, Fetched, SourceRef
from verify.nli import NliScorer
from verify.pipeline import check_article


def tiny_cross_encoder(folder: Path, labels: list[str]) -> Path:
    """A randomly initialised one-layer BERT classifier with the bundled model's tokenizer."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    from verify.embed import bundled_model_path

    tokenizer = BertTokenizerFast.from_pretrained(str(bundled_model_path()))
    config = BertConfig(
        vocab_size=tokenizer.vocab_size,
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )
    BertForSequenceClassification(config).save_pretrained(str(folder))
    tokenizer.save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_cross_encoder(tmp_path_factory.mktemp("tiny-nli"), ["contradiction", "entailment", "neutral"])


def test_entailment_probabilities_come_from_the_entailment_label(tiny_nli: Path) -> None:
    scorer = NliScorer(str(tiny_nli))
    probabilities = scorer.entailment([("SpaceX won a contract.", "SpaceX won."), ("A cat.", "A dog.")])
    assert len(probabilities) == 2
    assert all(0.0 < p < 1.0 for p in probabilities)
    assert scorer._entailment == 1


def test_the_pipeline_uses_the_nli_signal(tiny_nli: Path, fake_embedder) -> None:
    text = "SpaceX won a cargo contract worth about $1.6 billion in 2008."
    article = Article(path="a.txt", raw=text, text=text, format="text")
    page = b"<p>SpaceX won a cargo contract worth about $1.6 billion in 2008 for 12 flights.</p>"
    document = extract(Fetched(ref=SourceRef(url="https://a.example/"), body=page, content_type="text/html"))
    settings = Settings(nli_model=str(tiny_nli))
    with_nli = check_article(article, [document], [], settings, fake_embedder, NliScorer(str(tiny_nli)))
    without = check_article(article, [document], [], settings, fake_embedder)
    [result] = [r for r in with_nli.results if r.claim.checkable]
    [plain] = [r for r in without.results if r.claim.checkable]
    signals = dict(result.signals)
    assert 0.0 < signals["nli_entailment"] < 1.0
    assert "nli_entailment" not in dict(plain.signals)
    assert result.score == pytest.approx((plain.score + signals["nli_entailment"]) / 2, abs=1e-3)
    assert len(split_claims(article)) == 1


def test_a_model_without_an_entailment_label_is_a_usage_error(tmp_path: Path) -> None:
    tiny_cross_encoder(tmp_path, ["yes", "no"])
    with pytest.raises(UsageError, match="entailment"):
        NliScorer(str(tmp_path)).entailment([("a", "b")])


def test_a_missing_model_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot load NLI model"):
        NliScorer(str(tmp_path / "no-such-model")).entailment([("a", "b")])
