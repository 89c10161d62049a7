from verify.claims import split_claims
from verify.entail import FakeEntailment
from verify.extract import extract
from verify.judge import judge
from verify.match import BM25, match, pool_sentences
from verify.models import Article, Fetched, SourceRef
from verify.text import tokens

NASA = (
    b"<html><body><article><p>NASA picked SpaceX and Orbital Sciences to fly cargo.</p>"
    b"<p>SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008"
    b" for 12 cargo flights.</p>"
    b"<p>Orbital Sciences received about $1.9 billion for eight flights.</p>"
    b"<p>The company was founded by Elon Musk in 2002.</p></article></body></html>"
)


def document(body: bytes = NASA, url: str = "https://nasa.example/crs"):
    return extract(Fetched(ref=SourceRef(url=url), body=body, content_type="text/html"))


def article(text: str) -> Article:
    return Article(path="a.txt", raw=text, text=text, format="text")


def results(text: str, *docs, embedder):
    a = article(text)
    claims = split_claims(a)
    documents = list(docs) or [document()]
    ranked = match(claims, documents, embedder, top_k=3)
    pool = pool_sentences(documents)
    return [judge(c, ranked[c.id], pool) for c in claims if c.checkable]


def test_tokens_keep_numbers_and_stem_plurals() -> None:
    assert tokens("The 12 cargo flights cost $1.6 billion") == [
        "12",
        "cargo",
        "flight",
        "cost",
        "1.6",
        "billion",
    ]


def test_bm25_prefers_the_sentence_with_the_rare_words() -> None:
    index = BM25([tokens("cargo flights to the station"), tokens("SpaceX won a cargo contract")])
    scores = index.scores(tokens("SpaceX contract"))
    assert scores[1] > scores[0] > -1


def test_evidence_is_ranked_with_the_best_sentence_first(fake_embedder) -> None:
    a = article("SpaceX won a cargo contract worth $1.6 billion in 2008.")
    claims = split_claims(a)
    ranked = match(claims, [document()], fake_embedder, top_k=2)
    best = ranked[claims[0].id].evidence[0]
    assert "about $1.6 billion" in best.text
    assert best.source == "https://nasa.example/crs"
    assert 0 < best.similarity <= 1


def test_a_different_figure_on_the_same_subject_is_a_contradiction(fake_embedder) -> None:
    [result] = results("The company won a $3.6 billion cargo contract in 2008.", embedder=fake_embedder)
    assert result.verdict == "contradicted"
    assert "$3.6 billion" in result.reason and "$1.6 billion" in result.reason
    assert "https://nasa.example/crs" in result.reason
    failed = [c for c in result.checks if not c.ok]
    assert failed[0].claim_value == "$3.6 billion" and failed[0].evidence_value == "$1.6 billion"


def test_the_same_figure_is_supported(fake_embedder) -> None:
    [result] = results(
        "SpaceX won a cargo contract worth $1.6 billion in 2008 for 12 cargo flights.", embedder=fake_embedder
    )
    assert result.verdict == "supported"
    assert any(c.ok and c.kind == "figure" for c in result.checks)
    assert result.score >= 0.5


def test_unrelated_claim_is_unsupported_with_low_score(fake_embedder) -> None:
    [result] = results("The mayor opened a new public library downtown last spring.", embedder=fake_embedder)
    assert result.verdict in ("unsupported", "partially_supported")
    assert result.score < 0.3
    assert result.unsupported_words


def test_compound_claim_is_partial_and_names_the_missing_part(fake_embedder) -> None:
    [result] = results(
        "SpaceX won a cargo contract worth about $1.6 billion in 2008, "
        "and the company later built a hotel on the Moon.",
        embedder=fake_embedder,
    )
    assert result.verdict in ("partially_supported", "unsupported")
    assert any(not p.supported and "hotel" in p.text for p in result.parts)


def test_sources_that_disagree_are_reported(fake_embedder) -> None:
    other = document(
        b"<html><body><p>SpaceX won a Commercial Resupply Services contract"
        b" worth about $2.6 billion in 2008.</p></body></html>",
        url="https://other.example/",
    )
    [result] = results(
        "SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.",
        document(),
        other,
        embedder=fake_embedder,
    )
    assert "disagree" in result.disagreement
    assert "https://other.example/" in result.disagreement


def test_no_sources_means_unsupported(fake_embedder) -> None:
    a = article("SpaceX won a cargo contract worth $1.6 billion in 2008.")
    claims = split_claims(a)
    ranked = match(claims, [], fake_embedder)
    [result] = [judge(c, ranked[c.id], []) for c in claims]
    assert result.verdict == "unsupported" and result.score == 0.0


def test_a_negated_near_copy_is_a_contradiction(fake_embedder) -> None:
    source = document(
        b"<p>The agency did not approve the SpaceX cargo contract worth about $1.6 billion in 2008.</p>",
        url="https://n.example/",
    )
    [result] = results(
        "The agency approved the SpaceX cargo contract worth about $1.6 billion in 2008.",
        source,
        embedder=fake_embedder,
    )
    assert result.verdict == "contradicted"
    assert "negates" in result.reason
    assert any(c.kind == "negation" and not c.ok for c in result.checks)


def test_signals_are_reported_and_bounded(fake_embedder) -> None:
    [result] = results("SpaceX won a cargo contract worth $1.6 billion in 2008.", embedder=fake_embedder)
    signals = dict(result.signals)
    assert {"similarity", "coverage", "entity_coverage", "min_part_coverage", "number_coverage"} <= set(
        signals
    )
    assert all(-1.0 <= v <= 1.0 for v in signals.values())


def test_sources_that_disagree_prefer_the_earlier_source(fake_embedder) -> None:
    from verify.judge import SourceInfo

    primary = document(url="https://nasa.example/crs")
    later = document(
        b"<html><body><p>SpaceX won a cargo contract worth about $3.6 billion in 2008"
        b" for 12 cargo flights.</p></body></html>",
        url="https://later.example/",
    )
    a = article("SpaceX won a cargo contract worth about $3.6 billion in 2008 for 12 cargo flights.")
    claims = split_claims(a)
    documents = [later, primary]
    ranked = match(claims, documents, fake_embedder, top_k=3)
    pool = pool_sentences(documents)
    dated = [
        SourceInfo("https://later.example/", "2023-11-02"),
        SourceInfo("https://nasa.example/crs", "2008-12-23"),
    ]
    [result] = [judge(c, ranked[c.id], pool, sources=dated) for c in claims]
    assert result.verdict == "contradicted"
    assert result.reason.startswith("sources disagree")
    assert (
        "https://later.example/" in result.reason and "https://nasa.example/crs (2008-12-23)" in result.reason
    )
    assert "says $1.6 billion" in result.reason
    undated = [SourceInfo("https://later.example/"), SourceInfo("https://nasa.example/crs")]
    [first_cited] = [judge(c, ranked[c.id], pool, sources=undated) for c in claims]
    assert "disagree" in first_cited.disagreement


def test_a_figure_no_source_gives_keeps_the_claim_from_supported(fake_embedder) -> None:
    [result] = results(
        "SpaceX won a cargo contract worth about $1.6 billion in 2008 for 14 cargo flights.",
        embedder=fake_embedder,
    )
    assert result.verdict != "supported"
    assert any(c.claim_value == "14" and not c.ok for c in result.checks)


def test_a_vote_is_not_compared_with_a_distance(fake_embedder) -> None:
    council = document(
        b"<p>The council voted 7-2 to build 18 kilometres of new tram track.</p>", url="https://c.example/"
    )
    [result] = results(
        "The council voted to build 28 kilometres of new tram track.", council, embedder=fake_embedder
    )
    assert result.verdict == "contradicted"
    assert "28" in result.reason and "says 18" in result.reason and "says 7" not in result.reason


def judged(claim: str, source, embedder, model=None):
    claims = split_claims(article(claim))
    ranked = match(claims, [source], embedder, top_k=3)
    [result] = [judge(c, ranked[c.id], pool_sentences([source]), entailment=model) for c in claims]
    return result


def test_a_swapped_place_is_contradicted_when_the_model_reads_it_so(fake_embedder) -> None:
    source = document(b"<p>Marie Curie was a chemist born in Warsaw in 1867.</p>", url="https://mc.example/")
    claim = "Marie Curie was born in Krak\u00f3w in 1867."
    plain = judged(claim, source, fake_embedder)
    contradicting = judged(claim, source, fake_embedder, FakeEntailment(cue="Warsaw"))
    agreeing = judged(claim, source, fake_embedder, FakeEntailment(cue="no such premise"))
    assert plain.verdict != "contradicted" and agreeing.verdict != "contradicted"
    assert contradicting.verdict == "contradicted"
    assert "Krak\u00f3w" in contradicting.reason and "says Warsaw" in contradicting.reason
    assert any(c.kind == "name" and not c.ok and c.evidence_value == "Warsaw" for c in contradicting.checks)


def test_the_models_contradiction_lowers_the_score(fake_embedder) -> None:
    source = document(b"<p>The museum had 210,000 visitors in 2019, a record.</p>", url="https://m.example/")
    claim = "The museum had 210,000 visitors in 2019, a record."
    calm = judged(claim, source, fake_embedder, FakeEntailment(cue="no such premise"))
    doubtful = judged(claim, source, fake_embedder, FakeEntailment(cue="museum"))
    assert dict(doubtful.signals)["contradiction"] == 0.95
    assert doubtful.score < calm.score
    assert round(calm.score * (1 - 0.5 * 0.95) / (1 - 0.5 * 0.02), 3) == round(doubtful.score, 3)


def test_an_entailment_model_decides_contradiction_against_aligned_sentences(fake_embedder) -> None:
    source = document(
        b"<p>The board vetoed the SpaceX cargo contract proposal in 2008.</p>", url="https://b.example/"
    )
    a = article("The board approved the SpaceX cargo contract proposal in 2008.")
    claims = split_claims(a)
    ranked = match(claims, [source], fake_embedder, top_k=3)
    pool = pool_sentences([source])
    model = FakeEntailment()
    [plain] = [judge(c, ranked[c.id], pool) for c in claims]
    [with_model] = [judge(c, ranked[c.id], pool, entailment=model) for c in claims]
    assert plain.verdict != "contradicted"
    assert with_model.verdict == "contradicted" and "https://b.example/" in with_model.reason
    assert model.pairs[0] == (ranked[claims[0].id].evidence[0].text, claims[0].text)
    assert dict(with_model.signals)["contradiction"] == 0.95


def test_an_entailment_model_overrules_a_figure_it_reads_as_agreeing(fake_embedder) -> None:
    [plain] = results("The company won a $3.6 billion cargo contract in 2008.", embedder=fake_embedder)
    a = article("The company won a $3.6 billion cargo contract in 2008.")
    claims = split_claims(a)
    ranked = match(claims, [document()], fake_embedder, top_k=3)
    [overruled] = [
        judge(c, ranked[c.id], pool_sentences([document()]), entailment=FakeEntailment()) for c in claims
    ]
    assert plain.verdict == "contradicted"
    assert overruled.verdict in ("partially_supported", "unsupported")


def test_an_opposite_found_by_rule_stands_when_the_model_reads_it_as_agreeing(fake_embedder) -> None:
    source = document(
        b"<p>A day on Mars lasts 24 hours and 37 minutes, slightly longer than a day on Earth.</p>",
        url="https://mars.example/",
    )
    claim = "A day on Mars is slightly shorter than a day on Earth."
    agreeing = judged(claim, source, fake_embedder, FakeEntailment(cue="no such premise"))
    assert dict(agreeing.signals)["entailment"] == 0.96
    assert agreeing.verdict == "contradicted" and "says longer" in agreeing.reason


def test_bm25_scores_do_not_depend_on_the_hash_seed() -> None:
    import os
    import subprocess
    import sys

    code = (
        "from verify.match import BM25\n"
        "words = [f'w{n}' for n in range(60)]\n"
        "docs = [[w for n, w in enumerate(words) for _ in range(1 + (n * 7 + d) % 5) if (n + d) % 3] "
        "for d in range(9)]\n"
        "query = words\n"
        "print(BM25(docs).scores(query).tobytes().hex())\n"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in range(6)
    }
    assert len(outputs) == 1


def test_a_name_the_page_puts_in_another_slot_is_not_supported(fake_embedder) -> None:
    page = document(
        b"<html><body><article>"
        b"<p>Mara Quint coached the Harbor Owls in the Northern Coast League from 2019.</p>"
        b"<p>The Eastern Rowing League also praised the Harbor Owls and their coach.</p>"
        b"</article></body></html>",
        url="https://owls.example/",
    )
    claim = "Mara Quint coached the Harbor Owls in the Eastern Rowing League from 2019."
    [swapped] = results(claim, page, embedder=fake_embedder)
    assert swapped.verdict != "supported"
    assert "Northern Coast League" in swapped.reason
    [kept] = results(claim.replace("Eastern Rowing", "Northern Coast"), page, embedder=fake_embedder)
    assert kept.verdict == "supported"


def test_an_opposite_word_in_a_near_copy_is_a_contradiction_without_a_model(fake_embedder) -> None:
    source = document(
        b"<p>Voyager 1 was launched sixteen days after its twin, Voyager 2, in 1977.</p>",
        url="https://v.example/",
    )
    a = article("Voyager 1 was launched sixteen days before its twin, Voyager 2, in 1977.")
    claims = split_claims(a)
    ranked = match(claims, [source], fake_embedder, top_k=3)
    [result] = [judge(c, ranked[c.id], pool_sentences([source])) for c in claims]
    assert result.verdict == "contradicted"
    assert "before" in result.reason and "says after" in result.reason
    assert any(c.kind == "word" and not c.ok and c.evidence_value == "after" for c in result.checks)


def test_a_different_word_in_a_near_copy_needs_the_model_to_be_a_conflict(fake_embedder) -> None:
    source = document(b"<p>The council bought the old mill in 1998.</p>", url="https://m.example/")
    a = article("The council acquired the old mill in 1998.")
    claims = split_claims(a)
    ranked = match(claims, [source], fake_embedder, top_k=3)
    pool = pool_sentences([source])
    [plain] = [judge(c, ranked[c.id], pool) for c in claims]
    [agreeing] = [judge(c, ranked[c.id], pool, entailment=FakeEntailment()) for c in claims]
    assert plain.verdict != "contradicted" and not any(c.kind == "word" for c in plain.checks)
    assert agreeing.verdict != "contradicted"  # the model reads "bought" as saying "acquired"


def test_a_source_that_cites_another_is_secondary_to_it(fake_embedder) -> None:
    from dataclasses import replace

    from verify.judge import SourceInfo, cited_sources

    primary = replace(
        document(
            b"<p>SpaceX won a Commercial Resupply Services contract worth about $1.6 billion in 2008.</p>",
            url="https://www.agency.example/release",
        ),
        site="Agency News Office",
    )
    retelling = document(
        b"<p>SpaceX won a Commercial Resupply Services contract worth about $3.6 billion in 2008, "
        b"as the Agency News Office announced.</p>",
        url="https://blog.example/explainer",
    )
    documents = [retelling, primary]
    assert cited_sources(retelling, documents) == (primary.label,)
    assert cited_sources(primary, documents) == ()
    claim = "SpaceX won a Commercial Resupply Services contract worth about $3.6 billion in 2008."
    claims = split_claims(article(claim))
    ranked = match(claims, documents, fake_embedder, top_k=3)
    pool = pool_sentences(documents)
    sources = [SourceInfo(d.label, d.published, cited_sources(d, documents)) for d in documents]
    [undated] = [judge(c, ranked[c.id], pool, sources=sources) for c in claims]
    assert undated.verdict == "contradicted"  # the primary source says $1.6 billion
    assert "the source the other cites says $1.6 billion" in undated.reason
    without = [SourceInfo(d.label, d.published) for d in documents]
    [unknown] = [judge(c, ranked[c.id], pool, sources=without) for c in claims]
    assert unknown.verdict == "partially_supported"  # neither is known to be primary: they only disagree


def test_the_candidate_budget_keeps_the_bm25_best_and_sentences_with_the_claims_figures() -> None:
    import numpy as np

    from verify.match import _candidates
    from verify.tuning import CORE_CANDIDATES

    scores = np.arange(40, 0, -1, dtype=np.float32)  # sentence i is BM25's (i+1)-th best
    pool_tokens = [{"rocket"} for _ in range(40)]
    pool_tokens[CORE_CANDIDATES + 2] = {"rocket", "2008"}  # inside the prefilter, past the core
    pool_tokens[30] = {"2008"}  # past the prefilter: never
    assert _candidates(scores, 16) == list(range(CORE_CANDIDATES))
    assert _candidates(scores, 16, ["2008"], pool_tokens) == [*range(CORE_CANDIDATES), CORE_CANDIDATES + 2]
    assert _candidates(scores[:5], 16) == list(range(5))
