"""Every threshold and weight behind a verdict, each with where it comes from.

The block between the FITTED markers is written by `python benchmarks/calibrate.py --write` from
the committed calibration data (benchmarks/calibration/wice-dev.json, saved from a WiCE dev run
with `--save`); tests/verdict/test_tuning.py checks that it still matches what the script fits. Every
other number was chosen by hand: its note says why. Change a number here, then rerun
benchmarks/wice.py and benchmarks/attribution.py and state the scores before and after.
"""

from __future__ import annotations

# --- fitted: the calibrated score (judge.score) ---------------------------------------------
# BEGIN FITTED by benchmarks/calibrate.py --write (L2 logistic regression of "supported" on the
# judge's signals over WiCE dev; threshold: best cross-validated balanced accuracy, item vetoes applied)
COEFFICIENTS: dict[str, float] = {
    "bias": -4.4122,
    "similarity": 0.3681,
    "similarity_top3": 0.6131,
    "coverage_top1": 0.0296,
    "coverage": 0.8603,
    "document_coverage": 0.6704,
    "entity_coverage": 0.5417,
    "bigram_coverage": 0.7390,
    "idf_coverage": 0.6332,
    "min_part_coverage": 0.7723,
    "min_part_similarity": 0.7513,
    "name_coverage": 0.4937,
    "number_coverage": 0.6294,
    "number_conflict": -0.8804,
    "items_missing": -1.5448,
    "length": -0.9026,
}
THRESHOLD_SUPPORTED = 0.265
# END FITTED

# --- judge.py: verdict bands and vetoes (chosen by hand) -------------------------------------
THRESHOLD_PARTIAL = (
    0.12  # by hand: under it a claim with no supported part is "unsupported" (docs/verdicts.md)
)
VETO_MARGIN = 0.001  # by hand: a vetoed claim's score stays just under THRESHOLD_SUPPORTED
CONTRADICTED_SCORE = 0.1  # by hand: the highest score a contradicted claim shows
MISSING_PENALTY = 0.7  # by hand: each further key item no source states lowers the score by this factor
SAME_SUBJECT_SIMILARITY = 0.45  # by hand: evidence this close is about the same thing as the claim
SAME_SUBJECT_OVERLAP = 0.35  # by hand: ... and shares this much of the claim's wording

# --- judge.py: which of two disagreeing sources is primary (chosen by hand) ------------------
# A page that names another source (by its site name or host, or its full title) is secondary to it.
PRIMARY_NAME_CHARS = 3  # by hand: a site name or host shorter than this is too ambiguous to look for
PRIMARY_TITLE_WORDS = 4  # by hand: a title shorter than this is too generic to count as a citation

# --- judge.py: the evidence window and the claim's parts (chosen by hand) --------------------
WINDOW_TOP = 5  # by hand: the best evidence sentences the judge reads ...
WINDOW_NEIGHBOURS_OF = 3  # ... plus the sentences either side of the best three ("He said ..." after a name)
PART_SUPPORTED = (
    0.75  # by hand: share of a part's words the window must hold for the part to count as supported
)
LENGTH_SATURATION = 40  # by hand: the `length` signal is min(words, 40) / 40

# --- judge.py: the entailment model (docs/entailment-model.md, docs/verdicts.md) ------------
# It decides slot-level word and name conflicts, may overrule a typed conflict, and its
# contradiction lowers the score. Its P(entailment) stays out of the score: blending it in lowered
# 5-fold CV balanced accuracy on WiCE dev at every weight tried (0.7327 at 0, 0.7305 at 0.1-0.3,
# 0.7284 at 0.5), and a verdict from its contradiction alone called 4 % of the perturbation
# controls contradicted.
CONTRADICTION_DAMPING = 0.5  # by hand: the score is multiplied by 1 - this x the model's highest
# P(contradiction) over the aligned sentences. AUROC at 0 / 0.3 / 0.5 / 0.8: WiCE dev 5-fold CV
# supported 0.811 / 0.816 / 0.816 / 0.810; refutations dev 0.689 / 0.729 / 0.735 / 0.748;
# perturbation controls vs changed 0.824 / 0.827 / 0.824 / 0.814 (benchmarks/calibrate.py replays it).
ENTAIL_SENTENCES = 3  # by hand: aligned sentences the optional entailment model reads
ENTAIL_OVERRULES = 0.9  # by hand: the model's entailment that overrules a differing figure in that sentence
WORD_CONTRADICTION = 0.5  # by hand: the model's contradiction that makes a substituted word a conflict

# --- match.py: ranking evidence ---------------------------------------------------------------
LEXICAL_WEIGHT = 0.35  # by hand: share of the BM25 score (scaled to 0..1) in a sentence's evidence score
BM25_K1 = 1.2  # the usual BM25 defaults (Robertson & Zaragoza), not tuned
BM25_B = 0.75
# by measurement (docs/performance.md): BM25's best that always reach the embedding model; the rest
# of the best `prefilter` only when they share a figure with the claim. The largest budget that kept
# WiCE dev within 0.005 of embedding every candidate (8 moved it by +0.006: not taken)
CORE_CANDIDATES = 10

# --- align.py: lining up the claim's facts and names with source sentences (chosen by hand) --
NAME_CONTEXT_WORDS = 2  # by hand: other words of the claim that the sentence naming a name must share
TOPIC_MENTIONS = 3  # by hand: a name in this many source sentences is what the page is about
FACT_CONTEXT_WORDS = 4  # by hand: words either side of a figure that tell what it counts
SWAP_CONTEXT_WORDS = 3  # by hand: words around a name searched for a swapped-in other name
NEAR_COPY_SHARE = 0.7  # by hand: share of the claim's words a sentence must have to be a near copy
SUBSTITUTION_WORDS = 2  # by hand: a near copy's word substitution spans at most this many words a side
SLOT_COPY_SHARE = (
    0.5  # by hand: share of the claim's words a sentence needs before an opposite word in it counts
)
SLOT_CONTEXT = 3  # by hand: equal words on the two sides of a substituted word that make it the same slot
SLOT_SENTENCES = 2  # by hand: the best close sentences searched for a substituted word
SLOT_CLAIM_WORDS = 4  # by hand: a claim of fewer words has no slot worth comparing word by word
SWAP_SENTENCES = 2  # by hand: the best close sentences searched for another name in a name's slot
# (a name's own slot, and a negation's near copy, are read in the best close sentence only)

# --- facts.py: reading and comparing quantities (chosen by hand) ----------------------------
MONEY_AS_COUNT = 1e5  # by hand: "1.6bn" without a currency agrees with "$1.6 billion" from this size up
UNIT_WINDOW_CHARS = 40  # by hand: characters after a figure searched for the noun it counts
UNIT_TOLERANCE = 0.05  # by hand: measures in other units agree within this share (or the rounding of
# either): a conversion in prose is rounded ("100 km (about 60 miles)" is 3.4 % off)

# --- roles.py: who does what to whom (chosen by hand) ----------------------------------------
ROLE_PHRASE_WORDS = 6  # by hand: words either side of a directional verb read as its agent or recipient

# --- context.py: making a claim self-contained (chosen by hand) ------------------------------
LOOKBACK = 3  # by hand: earlier sentences searched for an antecedent
# --- verifier.py: the learned support verifier (docs/verifier-model.md, docs/verdicts.md) ------
VERIFIER_WINDOWS = 4  # by hand: windows read per claim, around the best-ranked evidence sentences
VERIFIER_TITLE_WORDS = 32  # by hand: a page title's words read before a window (WiCE dev's longest: 26)
VERIFIER_RADIUS = 1  # by hand: sentences either side of each (a window of 3, as in training)
VERIFIER_PART_WINDOWS = 2  # by hand: windows each part of a compound claim is read against
VERIFIER_AGREES = 0.05  # chosen on the refutations dev set and the SummEdits domains left out of the
# verifier's training (benchmarks/verifier_veto.py), checked on WiCE dev: a claim the similarity judge
# calls supported stays supported only when the verifier's best P(supported) over its windows reaches it
VERIFIER_SURE = 0.1  # by hand: the best window read at this or more settles the claim and the other
# windows are not read (WiCE dev: 407 pairs instead of 679); verifier_veto.py replays thresholds up to it
VERIFIER_JOINED = 3  # by hand: the best sentences also read joined as one window (the `verifier` signal;
# `verifier_local` is the best over the local windows alone, reported so the two can be compared)
