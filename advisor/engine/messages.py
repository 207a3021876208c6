"""Every sentence the advisor writes, in Chinese and English (no Django, no gettext).

The engine is pure Python, so its reasons carry both languages and the page picks one.
Each function returns a ``Reason`` (or a ``FollowUp``) whose text is concrete and checkable:
which terms matched, which rule passed or failed, which entry replaces which.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from .types import FollowUp, Reason

# Display names of the engine's own concepts and of the deployment answer. The catalog's
# vocabulary terms (frameworks, data types, scales, scenarios) are named by the catalog
# (``Engine(labels=...)``, from the database); a slug nobody names is shown as it is.
CONCEPT_LABELS: dict[str, tuple[str, str]] = {
    "translation": ("翻译", "translation"),
    "face": ("人脸人体", "faces and bodies"),
    "address": ("地址", "addresses"),
    "visualisation": ("可视化", "visualisation"),
    "gnn": ("图学习", "graph learning"),
    "graph-database": ("图数据库", "graph databases"),
    "managed": ("托管云服务", "a managed service"),
    "self-hosted": ("自建部署", "self-hosting"),
}

Labels = Mapping[str, tuple[str, str]]  # slug -> (Chinese, English)
_labels: ContextVar[Labels | None] = ContextVar("labels", default=None)


@contextmanager
def labels_in_use(labels: Labels) -> Iterator[None]:
    """Name vocabulary slugs with ``labels`` in the reasons written inside this block (the
    engine wraps each ``advise`` in it; a context variable, so threads do not mix)."""
    token = _labels.set(labels)
    try:
        yield
    finally:
        _labels.reset(token)


def label_pair(slug: str) -> tuple[str, str]:
    """(Chinese, English) display names of a slug."""
    named = (_labels.get() or {}).get(slug)
    return named or CONCEPT_LABELS.get(slug) or (slug, slug)


def label(slug: str, language: str) -> str:
    zh, en = label_pair(slug)
    return en if language == "en" else zh


def labels(slugs: Iterable[str], language: str) -> str:
    """Display names, sorted; a name shared by two slugs (the scenario and the data type
    "speech" are both 语音) is said once."""
    sep = ", " if language == "en" else "、"
    return sep.join(dict.fromkeys(label(slug, language) for slug in sorted(slugs)))


def _reason(code: str, zh: str, en: str, contribution: float, passed: bool = True) -> Reason:
    return Reason(code, zh, en, round(contribution, 4), passed)


# --- Entry reasons ---------------------------------------------------------------------------


def names(items: Iterable[str], language: str) -> str:
    """A list of names or terms: "、" between them in Chinese, ", " in English."""
    return ("、" if language == "zh" else ", ").join(items)


def text_matched(terms: Iterable[str], contribution: float) -> Reason:
    terms = list(terms)
    return _reason("text", f"匹配词：{names(terms, 'zh')}", f"matched: {names(terms, 'en')}",
                   contribution)


def text_unmatched() -> Reason:
    return _reason("text", "问题中的词与其介绍不匹配", "no term of the question matches it", 0.0,
                   passed=False)


def named(name: str, alias: str, contribution: float, *, name_zh: str = "") -> Reason:
    return _reason("name", f"问题中提到了 {name_zh or name}（“{alias}”）",
                   f"you named {name} (\u201c{alias}\u201d)", contribution)


def scenario_fit(scenarios: Iterable[str], contribution: float, *, inferred: bool) -> Reason:
    scen = sorted(scenarios) if not isinstance(scenarios, str) else [scenarios]
    if inferred:
        return _reason("scenario", f"适用于{labels(scen, 'zh')}（从问题推断）",
                       f"made for {labels(scen, 'en')} (inferred from your question)",
                       contribution)
    return _reason("scenario", f"适用于{labels(scen, 'zh')}",
                   f"made for {labels(scen, 'en')}", contribution)


def scenario_miss(scenarios: Iterable[str], *, inferred: bool) -> Reason:
    scen = list(scenarios)
    suffix_zh = "（从问题推断）" if inferred else ""
    suffix_en = " (inferred from your question)" if inferred else ""
    return _reason("scenario", f"并非为{labels(scen, 'zh')}而设计{suffix_zh}",
                   f"not made for {labels(scen, 'en')}{suffix_en}", 0.0, passed=False)


def framework_supported(framework: str, contribution: float, *, via_any: bool) -> Reason:
    if via_any:
        return _reason("framework", f"与框架无关，可配合 {label(framework, 'zh')} 使用",
                       f"framework-agnostic: works with {label(framework, 'en')}", contribution)
    return _reason("framework", f"支持 {label(framework, 'zh')}",
                   f"supports {label(framework, 'en')}", contribution)


def framework_neutral(framework: str) -> Reason:
    return _reason("framework", f"不依赖深度学习框架，与 {label(framework, 'zh')} 不冲突",
                   f"no ML framework needed: no conflict with {label(framework, 'en')}", 0.0)


def framework_conflict(
    framework: str,
    supported: Iterable[str],
    contribution: float,
    *,
    replacement: str | None,
    replacement_zh: str = "",
) -> Reason:
    only_zh = "仅支持 " + labels(supported, "zh")
    only_en = labels(supported, "en") + " only"
    zh = f"{only_zh}：你使用 {label(framework, 'zh')}"
    en = f"{only_en}: you use {label(framework, 'en')}"
    if replacement:
        zh += f"；改为推荐 {replacement_zh or replacement}"
        en += f"; {replacement} offered instead"
    return _reason("framework", zh, en, contribution, passed=False)


def framework_other(framework: str, supported: Iterable[str]) -> Reason:
    return _reason("framework", f"基于 {labels(supported, 'zh')}，不是 {label(framework, 'zh')}",
                   f"built on {labels(supported, 'en')}, not {label(framework, 'en')}", 0.0,
                   passed=False)


def data_types_fit(covered: Iterable[str], missing: Iterable[str], contribution: float) -> Reason:
    cov, miss = sorted(covered), sorted(missing)
    if not miss:
        return _reason("data-type", f"处理{labels(cov, 'zh')}", f"handles {labels(cov, 'en')}",
                       contribution)
    if not cov:
        return _reason("data-type", f"不处理{labels(miss, 'zh')}",
                       f"does not handle {labels(miss, 'en')}", contribution, passed=False)
    return _reason("data-type", f"处理{labels(cov, 'zh')}，但不处理{labels(miss, 'zh')}",
                   f"handles {labels(cov, 'en')} but not {labels(miss, 'en')}", contribution,
                   passed=False)


def data_types_any(contribution: float) -> Reason:
    return _reason("data-type", "适用于任意数据类型", "works on any data type", contribution)


def purpose_unasked(purposes: Iterable[str]) -> Reason:
    items = sorted(purposes)
    return _reason(
        "purpose",
        f"主要用于{labels(items, 'zh')}，你的问题没有提到",
        f"made mainly for {labels(items, 'en')}, which your question does not ask for",
        0.0,
        passed=False,
    )


def scale_fit(scale: str, contribution: float) -> Reason:
    return _reason("scale", f"适合{label(scale, 'zh')}", f"fits {label(scale, 'en')}",
                   contribution)


def scale_miss(scale: str, scales: Iterable[str], contribution: float) -> Reason:
    return _reason("scale", f"面向{labels(scales, 'zh')}，而你需要{label(scale, 'zh')}",
                   f"made for {labels(scales, 'en')}; yours is {label(scale, 'en')}",
                   contribution, passed=False)


def deployment_fit(deployment: str, *, managed: bool, contribution: float) -> Reason:
    if managed:
        return _reason("deployment", "阿里云托管服务，无需自建", "managed Alibaba Cloud service",
                       contribution)
    return _reason("deployment", "开源，可自建部署", "open source: you can host it yourself",
                   contribution)


def deployment_conflict(deployment: str, *, managed: bool, contribution: float) -> Reason:
    if managed:
        return _reason("deployment", "阿里云托管服务（闭源），无法自建部署",
                       "a managed cloud service (closed source): cannot be self-hosted",
                       contribution, passed=False)
    return _reason("deployment", "开源项目，需自行部署运维（非托管服务）",
                   "open source: you run it yourself (not a managed service)", contribution,
                   passed=False)


def maintenance_active(contribution: float) -> Reason:
    return _reason("maintenance", "持续维护中", "actively maintained", contribution)


def maintenance_low(year: int | None, contribution: float) -> Reason:
    if year:
        return _reason("maintenance", f"活跃度较低（最近发布于 {year} 年）",
                       f"low activity (last release {year})", contribution, passed=False)
    return _reason("maintenance", "活跃度较低", "low activity", contribution, passed=False)


def maintenance_unmaintained(
    year: int | None,
    successor: str | None,
    contribution: float,
    *,
    successor_zh: str = "",
    successor_frameworks: Iterable[str] = (),
) -> Reason:
    """``successor_frameworks``: the successor's ML frameworks when they differ from the
    entry's ("successor EasyNLP (PyTorch)"): moving over means changing frameworks."""
    zh = f"已停止维护（最近发布于 {year} 年）" if year else "已停止维护"
    en = f"unmaintained (last release {year})" if year else "unmaintained"
    fw = sorted(successor_frameworks)
    if successor:
        zh += f"；后继项目 {successor_zh or successor}"
        en += f"; successor {successor}"
        if fw:
            zh += f"（基于 {labels(fw, 'zh')}）"
            en += f" (built on {labels(fw, 'en')})"
    return _reason("maintenance", zh, en, contribution, passed=False)


def offered_instead(
    name: str, *, because: str, successor: bool = False, name_zh: str = ""
) -> Reason:
    """The replaced entry is named once; the clause after it says why it gave way."""
    zh_name = name_zh or name
    if because == "maintenance" and successor:
        zh = f"{zh_name} 已停止维护，这是它的后继项目"
        en = f"the successor of {name}, which is unmaintained"
    elif because == "maintenance":
        zh = f"{zh_name} 已停止维护，改为推荐这个替代项目"
        en = f"an alternative to {name}, which is unmaintained"
    elif because == "framework":
        zh = f"{zh_name} 与你的框架冲突，改为推荐这个替代项目"
        en = f"offered instead of {name}, which does not fit your framework"
    else:
        zh = f"{zh_name} 是托管云服务，这是它的开源替代"
        en = f"an open-source alternative to {name}, which is a managed service"
    return _reason("replaces", zh, en, 0.0)


# --- Stack reasons ---------------------------------------------------------------------------


def stack_scenario(scenarios: Iterable[str], contribution: float, *, inferred: bool) -> Reason:
    reason = scenario_fit(scenarios, contribution, inferred=inferred)
    return _reason("stack-scenario", reason.message_zh, reason.message_en, contribution)


def stack_coverage(covered: Iterable[str], missing: Iterable[str], contribution: float) -> Reason:
    cov, miss = list(covered), list(missing)
    zh = "覆盖你的需求：" + (labels(cov, "zh") if cov else "无")
    en = "covers your needs: " + (labels(cov, "en") if cov else "none")
    if miss:
        zh += "；未覆盖：" + labels(miss, "zh")
        en += "; not covered: " + labels(miss, "en")
    return _reason("stack-coverage", zh, en, contribution, passed=not miss)


def stack_members(
    best: Iterable[str], contribution: float, *, best_zh: Iterable[str] = ()
) -> Reason:
    best = list(best)
    best_zh = list(best_zh) or best
    return _reason("stack-members", f"最匹配的成员：{names(best_zh, 'zh')}",
                   f"best-matching members: {names(best, 'en')}", contribution)


def stack_swapped(name_zh: str, name_en: str, framework: str) -> Reason:
    """The stack's counterpart (the same stack for another framework) is not listed: its core
    members conflict with the user's framework."""
    return _reason(
        "stack-framework",
        f"未列出对应的“{name_zh}”：其核心成员不支持 {label(framework, 'zh')}",
        f"the counterpart {name_en} is not shown: its core members do not support "
        f"{label(framework, 'en')}",
        0.0,
    )


def stack_dropped_member(name: str, *, why: str, name_zh: str = "") -> Reason:
    why_zh, why_en = {
        "open-source": ("不是开源项目", "is not open source"),
        "maintained": ("已停止维护", "is unmaintained"),
    }.get(why, (why, why))
    return _reason("stack-member-dropped", f"去掉了可选成员 {name_zh or name}（{why_zh}）",
                   f"left out optional member {name} ({why_en})", 0.0)


def member_adds(
    name: str,
    role_zh: str,
    role_en: str,
    covers: Iterable[str],
    *,
    name_zh: str = "",
    own: Reason | None = None,
) -> Reason:
    """"Name: role (what it brings)": the member's own strongest reason when it has one,
    else the parts of the need it covers."""
    cov = list(dict.fromkeys(covers))
    zh = f"{name_zh or name}：{role_zh}"
    en = f"{name}: {role_en}"
    if own is not None:
        zh += f"（{own.message_zh}）"
        en += f" ({own.message_en})"
    elif cov:
        zh += f"（覆盖 {labels(cov, 'zh')}）"
        en += f" (covers {labels(cov, 'en')})"
    return _reason("adds", zh, en, 0.0)


# --- Advice-wide notes and follow-up questions --------------------------------------------


def note_inferred(scenarios: Iterable[str], framework: str, data_types: Iterable[str]) -> Reason:
    parts_zh: list[str] = []
    parts_en: list[str] = []
    scen = list(scenarios)
    if scen:
        parts_zh.append("场景 " + labels(scen, "zh"))
        parts_en.append("scenario " + labels(scen, "en"))
    if framework:
        parts_zh.append("框架 " + label(framework, "zh"))
        parts_en.append("framework " + label(framework, "en"))
    dts = list(data_types)
    if dts:
        parts_zh.append("数据 " + labels(dts, "zh"))
        parts_en.append("data " + labels(dts, "en"))
    return _reason("inferred", "从问题推断：" + "；".join(parts_zh),
                   "inferred from your question: " + "; ".join(parts_en), 0.0)


def note_corrected(corrections: Iterable[tuple[str, str]]) -> Reason:
    """The question was read with its typos corrected: say so, so a wrong guess shows."""
    pairs = [f"{typed} → {fixed}" for typed, fixed in corrections]
    return _reason("corrected", "已按更正后的拼写理解：" + "、".join(pairs),
                   "read with corrected spelling: " + ", ".join(pairs), 0.0)


def note_framework_unavoidable(framework: str) -> Reason:
    return _reason(
        "framework-unavoidable",
        f"没有适合你需求且仍在维护的条目支持 {label(framework, 'zh')}：以下是最匹配的条目，"
        "框架冲突已注明",
        f"no maintained entry that fits your need supports {label(framework, 'en')}: the best "
        "matches are listed anyway, with the framework conflict stated",
        0.0,
        passed=False,
    )


def note_filtered(count: int, *, why: str) -> Reason:
    if why == "open-source":
        return _reason("filter", f"已排除 {count} 个非开源条目（仅看开源）",
                       f"left out {count} entries that are not open source (open source only)",
                       0.0)
    return _reason("filter", f"已排除 {count} 个停止维护的条目（仅看维护中）",
                   f"left out {count} unmaintained entries (maintained only)", 0.0)


FOLLOW_UPS: dict[str, tuple[str, str]] = {
    "scenario": (
        "你要解决什么场景的问题？选择一个应用场景（如推荐、图分析、自然语言处理）会让建议更准确。",
        "Which problem do you want to solve? Choosing a scenario (recommendation, graph "
        "analytics, NLP, ...) makes the advice much more precise.",
    ),
    "framework": (
        "你使用 TensorFlow 还是 PyTorch？排名靠前的结果分属两种框架，它们无法混用。",
        "Do you use TensorFlow or PyTorch? The top results split between the two, and they "
        "do not mix.",
    ),
    "data_type": (
        "你处理什么数据？（文本、图像、图数据、表格特征……）",
        "What data do you work with? (text, images, graphs, tabular features, ...)",
    ),
    "scale": (
        "你的数据和训练规模多大？单机、小集群还是超大规模？",
        "How big is your workload: one machine, a small cluster, or massive scale?",
    ),
    "deployment": (
        "你希望自建开源方案，还是使用托管云服务？",
        "Do you want to host open source yourself or use a managed cloud service?",
    ),
    "q": (
        "用一两句话描述你的需求（例如“电商推荐的 CTR 模型训练”），没有匹配到足够相关的条目。",
        "Describe your need in a sentence or two (e.g. \u201cCTR model training for e-commerce "
        "recommendation\u201d): nothing matched well enough.",
    ),
}


def follow_up(field: str) -> FollowUp:
    zh, en = FOLLOW_UPS[field]
    return FollowUp(field=field, message_zh=zh, message_en=en)
