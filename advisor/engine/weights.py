"""The weights of the advisor's rule stage, in one place.

The ranking itself is learned (``model.py``, fitted by ``train_advisor``); these weights shape
what the rule stage measures: which entry a ruled-out one puts forward and with what fit, and
how stacks add up their members. How the rule stage scores (see ``scoring.Engine``):

1. Each *component* is a fit in [0, 1] for one part of the answers: text relevance, scenario,
   framework, data types, scale, deployment and maintenance.
2. The score is the weighted mean of the components that apply: a component the user did not
   answer (no scenario, no framework, ...) is left out of both the sum and the total weight, so
   answering fewer questions never lowers every score alike.
3. Rule *penalties* then multiply the mean (a framework conflict, an unmaintained entry, a cloud
   service for a self-hosted user), so a strong text match cannot outweigh a rule that rules an
   entry out.
4. A ruled-out entry hands part of its score to its counterpart / successor (``inherit``):
   EasyRec for a PyTorch user puts TorchEasyRec forward; EasyTransfer puts EasyNLP forward.

The result is clamped to [0, 1]. Changing a number here changes the features: run
``make train`` and ``make evaluate`` after any change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Weights:
    """Weights of the score's components, penalties, and the confidence thresholds.

    Component weights (relative; only the answered components count):

    - ``text``: TF-IDF cosine similarity of the question with the entry's text, scaled so the
      best match of the catalog is 1 (but never by a best match weaker than ``text_floor``).
      The largest weight: the free text says most about the need.
      Without a question, the names of the chosen scenario and data types are matched instead,
      with ``structured_text`` times the weight (it orders entries that fit the same facets).
    - ``name``: a question that names the entry ("AliGraph", "EasyTransfer") scores it as a
      perfect text match: a named project is what the user asks about.
    - ``scenario``: 1 when the entry lists the chosen scenario. A scenario only inferred from
      the text ("推荐" -> recommendation) counts with ``inferred`` times the weight.
    - ``framework``: 1 when the entry supports the user's framework (or "any"),
      ``framework_neutral`` when the entry has no ML framework (a cloud service, a database:
      no conflict and no penalty, but a user who names a framework is better served by an
      entry that supports it), 0 on a conflict.
    - ``data_type``: the share of the user's data types the entry handles ("any" handles all);
      ``neutral`` when the entry lists none.
    - ``scale``: 1 when the entry lists the user's scale, ``neutral`` when it lists none,
      ``scale_near`` when it lists the neighbouring scale, 0 otherwise.
    - ``deployment``: 1 when the entry's kind fits (managed -> cloud service, self-hosted ->
      open source), ``neutral`` for learning resources, 0 otherwise.
    - ``maintenance``: always applies: active 1, low activity ``low_activity``, unmaintained 0.

    Penalties (multipliers on the mean):

    - ``framework_conflict``: TensorFlow-only entry for a PyTorch user (and the reverse).
    - ``framework_unavoidable``: replaces ``framework_conflict`` when no entry that fits the
      question supports the user's framework (no maintained, non-learning entry that supports
      it, is made for the scenario and matches at least ``supporter_min_text`` of the best
      text match, itself or through its counterpart): the best entries are
      then offered anyway, with the conflict stated, rather than unrelated ones.
    - ``data_type_missing``: the entry handles none of the data types the user chose (an entry
      that cannot handle the user's data is not a fit), scaled by the share it misses;
      ``data_type_missing_inferred`` when the data types were read from the question (the
      reading may be wrong, so milder). A data type the entry handles only through its
      neighbour (documents through text) counts ``data_type_near`` of a match.
    - ``purpose_unasked``: the entry's name says what it is for ("Machine Translation",
      "Face and Body") and a question that names its needs never asks for that, neither by
      name nor through a scenario or data type of a broad purpose (``rules.purpose_asked``):
      its fit comes from secondary mentions (AliMT's speech translation for a voice bot).
    - ``low_activity_penalty``: a low-activity project gives way to an active one that fits
      about as well (EasyRec before the dormant HybridBackend for TensorFlow recommendation).
    - ``unmaintained``: the project is no longer maintained.
    - ``deployment_conflict``: a cloud service for a self-hosted user, or open source for a user
      who wants a managed service (milder: open source can run on managed infrastructure).

    ``inherit``: the share of a ruled-out entry's score (before its penalty) that its
    counterpart or successor receives, when that is more than its own score: the need-side
    components (text, scenario, data types, scale) of the ruled-out entry with the
    replacement's own framework, deployment and maintenance. ``inherit_alternative``: the
    same for an open-source alternative of a cloud service the user cannot use (a weaker
    promise: an alternative does the job differently, a successor does the same job).
    ``inherit_margin``: the inherited score must beat the replacement's own score by this much;
    an entry that fits well on its own is not "offered instead" of anything.
    ``inherit_min_text``: with a question, the ruled-out entry must match it at least this much
    (text relevance scaled to the best match) or be named: an entry the question is not about
    puts nothing forward (AGL matching only "prediction" does not promote Graph-Learn).

    Relevance cuts (not weights, rules in ``scoring``): learning resources (courses,
    competitions) are listed only when the need is about learning (the "learning" scenario, or
    the question mentions courses, tutorials, competitions, 入门, 课程, 比赛...); and when the
    question has text that some entry matches, an entry that matches none of its terms is not
    listed on the strength of facets read from that question; one that fits a facet the user
    chose stays, its score times ``no_text_match``.

    Stacks: ``stack_members`` (mean score of the required members, a choice group counting as
    its best member), ``stack_scenario`` (the stack is made for the scenario), and
    ``stack_coverage`` (share of the user's scenario, data types and framework that its
    members cover together); ``stack_text`` (the question's relevance to the stack's own
    description).
    """

    text: float = 0.40
    scenario: float = 0.24
    framework: float = 0.12
    data_type: float = 0.10
    scale: float = 0.05
    deployment: float = 0.06
    maintenance: float = 0.03

    structured_text: float = 0.5
    inferred: float = 0.5
    neutral: float = 0.5
    framework_neutral: float = 0.0
    scale_near: float = 0.4
    low_activity: float = 0.8
    text_floor: float = 0.12

    framework_conflict: float = 0.25
    framework_unavoidable: float = 0.75
    data_type_missing: float = 0.45
    data_type_missing_inferred: float = 0.8
    data_type_near: float = 0.5
    purpose_unasked: float = 0.45
    low_activity_penalty: float = 0.93
    unmaintained: float = 0.7
    deployment_conflict: float = 0.5
    managed_open_source: float = 0.8
    inherit: float = 0.95
    inherit_margin: float = 0.03
    inherit_alternative: float = 0.7
    inherit_min_text: float = 0.3
    no_text_match: float = 0.7
    supporter_min_text: float = 0.3


    stack_members: float = 0.40
    stack_scenario: float = 0.25
    stack_coverage: float = 0.20
    stack_text: float = 0.15


DEFAULT_WEIGHTS = Weights()
