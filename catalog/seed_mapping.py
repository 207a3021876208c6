"""How the seed document's sections map onto catalog entries (used by ``import_seed``).

The seed (``/work/shared/seeds/000_*.txt``) is Chinese prose organised in sections. Most
sections describe one entry; some describe several. For a multi-entry section the rules say
which bullets and links belong to which entry:

* a bullet whose bold label is in an entry's ``labels`` belongs to that entry (a label with
  sub-bullets, like ``**EasyCV:**``, hands all its sub-bullets to the entry);
* a link whose URL matches one of an entry's ``url_patterns`` (or whose title matches one of
  its ``title_patterns``) belongs to that entry;
* everything else goes to the section's ``primary`` entry, or to every entry
  (``shared="all"``) or nowhere (``shared="drop"``, reported as unassigned).

An entry's summary in a multi-entry section: the primary entry gets the section's 简介
(minus the sentences given to other entries); another entry gets the 简介 sentences that name
one of its ``aliases``, or else its own labelled 核心功能 bullet.

Facts (licence, frameworks, org, repository, maintenance) never come from the seed: they are in
the catalog fixture, checked against each project's repository. Only ``REPO_OWNER_REWRITES`` is
applied to the seed's links so that they point at a repository's current home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Shared = Literal["primary", "all", "drop"]


@dataclass(frozen=True)
class EntryRule:
    slug: str
    labels: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    title_patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionRule:
    heading: str
    entries: tuple[EntryRule, ...]
    primary: str | None = None
    shared: Shared = "primary"
    # The seed's 4.云原生 (Nacos) section has no 简介; every other mapped section must have one.
    summary_optional: bool = False
    # Sentences of the 简介 that are not content (e.g. a scraper's failure message).
    intro_exclude: tuple[str, ...] = ()
    # Links that belong to no entry (third-party pages); reported as skipped.
    ignore_links: tuple[str, ...] = ()

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(entry.slug for entry in self.entries)


def _single(heading: str, slug: str, **kwargs) -> SectionRule:
    return SectionRule(heading=heading, entries=(EntryRule(slug),), primary=slug, **kwargs)


# Sections that are deliberately not imported (reported as "skipped (overview)").
SKIPPED_SECTIONS: frozenset[str] = frozenset({"阿里"})

SECTIONS: tuple[SectionRule, ...] = (
    SectionRule(
        heading="0.阿里落地产品",
        shared="drop",
        entries=(
            EntryRule("pai", labels=("机器学习平台 (PAI)",)),
            EntryRule(
                "address-purification",
                labels=("地址标准化 (Address Purification)",),
                url_patterns=(r"addresspurification",),
            ),
            EntryRule(
                "opensearch",
                labels=("开放搜索 (OpenSearch)", "数据同步"),
                url_patterns=(r"/product/opensearch",),
            ),
            EntryRule("alimt", labels=("机器翻译 (AliMT)",), url_patterns=(r"/alimt",)),
            EntryRule(
                "aliyun-nlp",
                labels=("自然语言处理 (NLP)",),
                url_patterns=(r"ai\.aliyun\.com/nlp",),
                title_patterns=(r"^自然语言处理使用手册$",),
            ),
            EntryRule("facebody", labels=("视觉智能 (FaceBody)",), url_patterns=(r"facebody",)),
            EntryRule(
                "nls", labels=("智能语音交互 (NLS)",), url_patterns=(r"ai\.aliyun\.com/nls",)
            ),
            EntryRule("docmind", labels=("文档智能 (DocMind)",), url_patterns=(r"/docmind",)),
            EntryRule(
                "bailian", labels=("大模型服务平台 (百炼Bailian)",), url_patterns=(r"bailian\.",)
            ),
            EntryRule("workbench", labels=("云上数据库操作与远程连接 (Workbench)",)),
        ),
    ),
    SectionRule(
        heading="0.阿里图计算",
        shared="drop",
        entries=(
            EntryRule(
                "agl",
                labels=("AGL",),
                aliases=("AGL",),
                url_patterns=(r"TuGraph-AntGraphLearning",),
            ),
            EntryRule(
                "graphscope",
                labels=("GraphScope",),
                aliases=("GraphScope",),
                url_patterns=(r"graphscope",),
            ),
        ),
        ignore_links=(r"ogb\.stanford\.edu",),
    ),
    _single("1.AntV-G6 图可视化框架", "g6"),
    _single("GraphScope交互查询引擎Gremlin查询", "graphscope-interactive"),
    SectionRule(
        heading="蚂蚁图数据库TuGraph",
        primary="tugraph-db",
        entries=(
            EntryRule("tugraph-db"),
            EntryRule(
                "tugraph-analytics",
                labels=("流式图计算", "分布式架构", "流式处理"),
                aliases=("GeaFlow",),
                url_patterns=(r"tugraph-analytics",),
            ),
        ),
        # The seed's "TuGraph-DB" link is a stale GitHub organisation page; the repository
        # (TuGraph-family/tugraph-db) is linked too.
        ignore_links=(r"github\.com/TuGraph-db/?$",),
    ),
    SectionRule(
        heading="graphlearn：大规模神经网络分布式框架",
        shared="drop",
        entries=(
            EntryRule("graph-learn", labels=("Graph-Learn",), url_patterns=(r"graph-learn",)),
            EntryRule("libgrape-lite", labels=("libgrape-lite",), url_patterns=(r"libgrape-lite",)),
            EntryRule("vineyard", labels=("v6d (Vineyard)",), url_patterns=(r"/v6d",)),
            EntryRule("kind", labels=("Kind",), url_patterns=(r"kind\.sigs\.k8s\.io",)),
        ),
    ),
    SectionRule(
        heading="1.EasyNLP",
        primary="easynlp",
        entries=(
            EntryRule("easynlp"),
            EntryRule(
                "easytransfer",
                labels=("深度迁移学习", "深度迁移学习范式"),
                aliases=("EasyTransfer",),
                url_patterns=(r"/EasyTransfer",),
            ),
        ),
    ),
    SectionRule(
        heading="1.EasyRec",
        primary="easyrec",
        intro_exclude=("获取其具体内容失败",),
        entries=(
            EntryRule("easyrec"),
            EntryRule("deeprec", url_patterns=(r"/DeepRec\b",)),
            EntryRule("proxima", url_patterns=(r"/proxima\b",)),
            EntryRule("airec", url_patterns=(r"/airec\b",)),
            EntryRule("opensearch", url_patterns=(r"/product/opensearch",)),
        ),
    ),
    _single("2.easydispatch：实时调度算法：启发式、优化、强化学习", "easydispatch"),
    _single("2.EasyRL：ReinforcementLearning", "easyrl"),
    SectionRule(
        heading="3.EasyCv",
        shared="all",
        entries=(
            EntryRule(
                "easycv", labels=("EasyCV",), aliases=("EasyCV",), url_patterns=(r"/EasyCV",)
            ),
            EntryRule(
                "easyrobust",
                labels=("EasyRobust",),
                aliases=("EasyRobust",),
                url_patterns=(r"/easyrobust",),
            ),
        ),
    ),
    SectionRule(
        heading="4.训练部署",
        shared="drop",
        entries=(
            EntryRule(
                "bladedisc",
                labels=("BladeDISC",),
                aliases=("BladeDISC",),
                url_patterns=(r"/BladeDISC",),
            ),
            EntryRule(
                "hybridbackend",
                labels=("HybridBackend",),
                aliases=("HybridBackend",),
                url_patterns=(r"/HybridBackend",),
            ),
        ),
    ),
    _single("4.云原生", "nacos", summary_optional=True),
    _single("4.Easy Parallel Library (EPL) 是一个高效易用的分布式模型训练框架", "epl"),
    _single("4.FederatedScope联邦学习", "federatedscope"),
    _single("5.Flink的通用算法平台", "alink"),
    SectionRule(
        heading="阿里AI学习",
        primary="tianchi",
        entries=(
            EntryRule("tianchi"),
            EntryRule(
                "vision-ai",
                labels=("视觉AI开放平台", "API服务化", "行业解决方案开发"),
                url_patterns=(r"vision\.aliyun\.com",),
            ),
            EntryRule(
                "mindopt",
                labels=("优化建模与求解", "优化算法与求解器", "业务决策优化"),
                url_patterns=(r"/mindopt",),
            ),
        ),
        # MindOpt's 2021 launch page on Tianchi; its home is opt.aliyun.com since 2022.
        ignore_links=(r"tianchi\.aliyun\.com/mindopt",),
    ),
    _single("阿里天池课程", "tianchi-courses"),
    _single("阿里天池历届比赛汇总", "tianchi-competitions"),
)

# Repositories that moved: the seed's links are rewritten to the current home (keys are
# lower-case "owner/repo"; values keep GitHub's spelling).
REPO_OWNER_REWRITES: dict[str, str] = {
    "alibaba/deeprec": "DeepRec-AI/DeepRec",
    "alibaba/hybridbackend": "DeepRec-AI/HybridBackend",
    "alibaba/v6d": "v6d-io/v6d",
    "v6d-io/v6d": "v6d-io/v6d",
    "antvis/g6": "antvis/G6",
    "tugraph-family/tugraph-db": "TuGraph-family/tugraph-db",
    "tugraph-family/tugraph-analytics": "apache/geaflow",
}

# Query parameters that only track the visit; stripped from every imported URL.
TRACKING_PARAMS: frozenset[str] = frozenset({"spm", "scm", "from_alibabacloud", "accounttraceid"})
