"""The seed importer: parsing the real seed, idempotent imports, dry runs, editors' changes kept,
malformed input rejected with nothing written."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from catalog import importer, seed_mapping
from catalog.models import Category, Kind, Link, Project
from catalog.seed_mapping import EntryRule, SectionRule

from .conftest import SEED

pytestmark = pytest.mark.django_db

MAPPED_SLUGS = sorted({slug for rule in seed_mapping.SECTIONS for slug in rule.slugs})


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def catalog_entries() -> dict[str, Project]:
    """Every entry the mapping names (the fixture's own when it is loaded, else minimal ones)."""
    category, _ = Category.objects.get_or_create(
        slug="test-import", defaults={"name_zh": "测试", "name_en": "Test"}
    )
    entries = {}
    for slug in MAPPED_SLUGS:
        entries[slug], _ = Project.objects.get_or_create(
            slug=slug,
            defaults={
                "name": slug.title(),
                "name_zh": slug,
                "kind": Kind.OPEN_SOURCE,
                "category": category,
                "org": "Alibaba",
                "license": "Apache-2.0",
                "summary_en": f"{slug} in English",
            },
        )
    return entries


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_seed", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "links": sorted(Link.objects.values_list("project__slug", "url", "title", "type")),
        "projects": sorted(
            Project.objects.values_list(
                "slug", "summary_zh", "features_zh", "principles_zh", "use_cases_zh"
            )
        ),
        "history": Project.history.count() + Link.history.count(),
    }


# --- Parsing -------------------------------------------------------------------------------


def test_real_seed_every_mapped_section_is_found_and_assigned(seed_text):
    sections = importer.parse_seed(text=seed_text)
    headings = {section.heading for section in sections}
    assert {rule.heading for rule in seed_mapping.SECTIONS} <= headings

    mapped, ignored = importer.map_sections(
        sections=sections, rules=seed_mapping.SECTIONS, skipped=seed_mapping.SKIPPED_SECTIONS
    )
    assert [result.section.heading for result in ignored] == ["阿里"]
    assert ignored[0].notes == ["overview"]
    contents = {c.slug: c for result in mapped for c in result.contents}
    assert set(MAPPED_SLUGS) == set(contents)

    easyrec = contents["easyrec"]
    assert len(easyrec.features_zh) >= 5
    assert any(feature.startswith("多模型支持：") for feature in easyrec.features_zh)
    assert "获取其具体内容失败" not in easyrec.summary_zh  # the seed's scraper note is dropped
    assert [link.url for link in contents["proxima"].links] == [
        "https://github.com/alibaba/proxima"
    ]
    assert [link.url for link in contents["airec"].links] == [
        "https://www.aliyun.com/product/bigdata/airec"
    ]
    # OpenSearch is described in the products section and linked from EasyRec's.
    assert "https://www.aliyun.com/product/opensearch" in {
        link.url
        for result in mapped
        for c in result.contents
        if c.slug == "opensearch"
        for link in c.links
    }


def test_multi_entry_sections_split_bullets_by_label(seed_text):
    sections = importer.parse_seed(text=seed_text)
    mapped, _ = importer.map_sections(
        sections=sections, rules=seed_mapping.SECTIONS, skipped=seed_mapping.SKIPPED_SECTIONS
    )
    contents = {c.slug: c for result in mapped for c in result.contents}
    # Sub-lists under "**EasyCV:**" / "**EasyRobust:**" go to their entry.
    assert "支持自监督学习（Self-supervised Learning）。" in contents["easycv"].features_zh
    assert not any("鲁棒" in item for item in contents["easycv"].features_zh)
    assert len(contents["easyrobust"].features_zh) == 4
    # A flat labelled bullet ("**AGL**：...") loses its label; the summary names the entry.
    assert contents["agl"].summary_zh.startswith("Ant Graph Learning (AGL)")
    assert contents["pai"].summary_zh.startswith("提供AI模型的构建")
    assert "MaaS" in contents["pai"].principles_zh
    assert contents["kind"].summary_zh.startswith("提供一种在Docker容器中运行本地Kubernetes")
    # Numbered principles are renumbered per entry after the split.
    assert "\n1. 图数据库核心" in contents["tugraph-db"].principles_zh
    assert "\n2. 图计算优化" in contents["tugraph-db"].principles_zh
    # A prose lead-in ("...主要包括：") is not a list item.
    assert not any(item.endswith("：") for item in contents["federatedscope"].use_cases_zh)
    # The seed's 4.云原生 section has no 简介: Nacos's summary is left alone.
    assert contents["nacos"].summary_zh is None
    assert len(contents["nacos"].features_zh) == 5


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/alibaba/DeepRec?spm=a2c6h.1.2", "https://github.com/DeepRec-AI/DeepRec"),
        ("https://github.com/alibaba/HybridBackend", "https://github.com/DeepRec-AI/HybridBackend"),
        ("https://github.com/v6d-io/v6d", "https://github.com/v6d-io/v6d"),
        (
            "https://tianchi.aliyun.com/specials/promotion/aicamprl?spm=1&accounttraceid=e7",
            "https://tianchi.aliyun.com/specials/promotion/aicamprl",
        ),
        (
            "https://cn.aliyun.com/product/ai/docmind?from_alibabacloud=",
            "https://cn.aliyun.com/product/ai/docmind",
        ),
        # Meaningful parameters and fragments stay.
        (
            "https://tianchi.aliyun.com/course/list?type=1&scm=x#top",
            "https://tianchi.aliyun.com/course/list?type=1#top",
        ),
    ],
)
def test_clean_url_strips_tracking_and_follows_moved_repositories(url, expected):
    assert importer.clean_url(url=url) == expected


def test_rewrite_repo_names_follows_moved_repositories():
    assert (
        importer.rewrite_repo_names(text="alibaba/DeepRec: engine") == "DeepRec-AI/DeepRec: engine"
    )


@pytest.mark.parametrize(
    ("url", "title", "expected"),
    [
        ("https://github.com/alibaba/EasyRec", "EasyRec", "repo"),
        ("https://graph-learn.readthedocs.io/zh_CN/latest/", "GraphLearn 文档", "docs"),
        ("https://help.aliyun.com/document_detail/181187.html", "自然语言处理使用手册", "docs"),
        ("https://www.aliyun.com/product/ai/alimt", "机器翻译_文档图片翻译-阿里云", "product"),
        ("https://tianchi.aliyun.com/course/907", "数据科学", "tutorial"),
        ("https://www.yuque.com/easyx/easynlp/kkhkai", "EasyNLP中文文档", "tutorial"),
        ("https://github.com/datawhalechina/time-series-learning", "Topline学习教程", "tutorial"),
        ("https://tianchi.aliyun.com/mindopt", "阿里优化调度问题", "product"),
    ],
)
def test_guess_link_type(url, title, expected):
    assert importer.guess_link_type(url=url, title=title) == expected


# --- Importing -----------------------------------------------------------------------------


def test_import_twice_updates_once_and_never_duplicates(seed_text, catalog_entries):
    Link.objects.filter(project__slug__in=["g6", "deeprec", "proxima"]).delete()
    first = importer.import_seed(text=seed_text)
    assert first.links_added > 0
    links_after_first = Link.objects.count()
    state = snapshot()

    second = importer.import_seed(text=seed_text)
    assert second.count("updated") == 0
    assert second.links_added == 0
    assert Link.objects.count() == links_after_first
    assert snapshot() == state

    # Links are unique per entry and URL, tracking parameters gone, owners current.
    urls = list(Link.objects.values_list("project__slug", "url"))
    assert len(urls) == len(set(urls))
    assert not Link.objects.filter(url__contains="spm=").exists()
    deeprec_urls = set(catalog_entries["deeprec"].links.values_list("url", flat=True))
    assert "https://github.com/DeepRec-AI/DeepRec" in deeprec_urls
    assert not Link.objects.filter(url__icontains="github.com/alibaba/DeepRec").exists()
    assert (
        catalog_entries["proxima"].links.filter(url="https://github.com/alibaba/proxima").exists()
    )


def test_a_link_an_editor_moved_stays_where_it_is(seed_text, catalog_entries):
    Link.objects.filter(url="https://github.com/alibaba/proxima").delete()
    Link.objects.create(
        project=catalog_entries["easyrec"],
        title="Proxima (vector recall)",
        url="https://github.com/alibaba/proxima",
        type="repo",
    )
    plan = importer.import_seed(text=seed_text)
    proxima = next(entry for entry in plan.entries if entry.slug == "proxima")
    assert [link.url for link, _ in proxima.links_elsewhere] == [
        "https://github.com/alibaba/proxima"
    ]
    assert list(
        Link.objects.filter(url="https://github.com/alibaba/proxima").values_list(
            "project__slug", flat=True
        )
    ) == ["easyrec"]


def test_import_fills_empty_fields_and_never_touches_facts(seed_text, catalog_entries):
    Project.objects.filter(slug="g6").update(
        summary_zh="", features_zh=[], principles_zh="", use_cases_zh=[], import_fingerprints={}
    )
    before = Project.objects.values(
        "license", "org", "repo_url", "maintenance", "kind", "category_id"
    ).get(slug="g6")
    importer.import_seed(text=seed_text, overwrite=True)

    g6 = Project.objects.get(slug="g6")
    assert g6.summary_zh.startswith("G6 是 AntV 旗下一款开源的图可视化引擎")
    assert len(g6.features_zh) == 5
    assert g6.features_zh[0].startswith("图绘制与渲染：")
    assert "Canvas/SVG 渲染" in g6.principles_zh
    assert len(g6.use_cases_zh) == 5
    assert set(g6.import_fingerprints) == {
        "summary_zh", "features_zh", "principles_zh", "use_cases_zh"
    }  # fmt: skip
    after = Project.objects.values(
        "license", "org", "repo_url", "maintenance", "kind", "category_id"
    ).get(slug="g6")
    assert after == before
    # History records are written through the ORM, with the importer as the reason.
    record = g6.history.first()
    assert record.history_change_reason == "import_seed"


def test_dry_run_writes_nothing_and_reports_the_same_plan(seed_text, catalog_entries, tmp_path):
    Project.objects.filter(slug="easyrec").update(summary_zh="", import_fingerprints={})
    state = snapshot()
    output = run(str(SEED), "--dry-run")
    assert snapshot() == state
    assert Project.objects.get(slug="easyrec").summary_zh == ""
    assert "Dry run, nothing written" in output
    assert "easyrec: updated (summary_zh updated" in output
    assert "§ 阿里 (line 1): skipped (overview)" in output

    real = run(str(SEED))
    summary = [line for line in real.splitlines() if line.startswith("Imported: ")]
    dry_summary = [line for line in output.splitlines() if "would have" in line]
    assert summary[0].removeprefix("Imported: ") == dry_summary[0].split("would have ")[1]
    assert Project.objects.get(slug="easyrec").summary_zh.startswith("EasyRec 是阿里巴巴开发")


def test_editor_change_is_kept_and_reported(seed_text, catalog_entries):
    Project.objects.filter(slug="easyrec").update(summary_zh="", import_fingerprints={})
    run(str(SEED))
    easyrec = Project.objects.get(slug="easyrec")
    assert easyrec.summary_zh.startswith("EasyRec 是阿里巴巴开发")
    easyrec.summary_zh = "编辑修改过的简介。"
    easyrec.save()

    output = run(str(SEED))
    assert Project.objects.get(slug="easyrec").summary_zh == "编辑修改过的简介。"
    assert "kept editor change: easyrec.summary_zh" in output
    assert "kept editor changes 1" in output

    output = run(str(SEED), "--overwrite")
    assert Project.objects.get(slug="easyrec").summary_zh.startswith("EasyRec 是阿里巴巴开发")
    assert "kept editor change:" not in output


def test_curated_value_without_fingerprint_is_kept(seed_text, catalog_entries):
    Project.objects.filter(slug="alink").update(summary_zh="策展的简介。", import_fingerprints={})
    plan = importer.import_seed(text=seed_text)
    entry = next(e for e in plan.entries if e.slug == "alink")
    assert entry.fields["summary_zh"] is importer.FieldStatus.KEPT_EXISTING
    assert Project.objects.get(slug="alink").summary_zh == "策展的简介。"
    # Kept values get no fingerprint: they stay the editors' until --overwrite.
    assert "summary_zh" not in Project.objects.get(slug="alink").import_fingerprints


@pytest.mark.parametrize(
    ("current", "stored", "overwrite", "expected"),
    [
        ("seed", None, False, "unchanged"),
        ("", None, False, "updated"),
        ("curated", None, False, "kept existing value"),
        ("curated", None, True, "updated"),
        ("old seed", "OLD", False, "updated"),
        ("edited", "OTHER", False, "kept editor change"),
        ("edited", "OTHER", True, "updated"),
    ],
)
def test_decide_field(current, stored, overwrite, expected):
    stored_fingerprint = importer.fingerprint(value="old seed") if stored == "OLD" else stored
    status = importer.decide_field(
        current=current, new="seed", stored_fingerprint=stored_fingerprint, overwrite=overwrite
    )
    assert status == expected


def test_entries_not_in_the_catalog_are_skipped_never_created(db):
    text = (
        "# 甲\n\n#### 简介\n甲是一个项目。\n\n#### 核心功能\n- **快**：很快。\n\n"
        "- [甲](https://github.com/example/jia?spm=1)\n"
    )
    rules = (SectionRule(heading="甲", primary="jia", entries=(EntryRule("jia"),)),)
    categories = Category.objects.count()
    with transaction.atomic():
        plan = importer.plan_import(
            sections=importer.parse_seed(text=text), rules=rules, skipped=(), lock=True
        )
        importer.apply_plan(plan=plan)
    assert [(entry.slug, entry.outcome, entry.skipped_reason) for entry in plan.entries] == [
        ("jia", "skipped", "not in catalog")
    ]
    assert plan.summary_line().startswith("updated 0, unchanged 0, skipped 1 ")
    assert not Project.objects.filter(slug="jia").exists()
    assert Category.objects.count() == categories
    assert not Link.objects.filter(url__contains="example/jia").exists()


def test_an_edit_made_between_planning_and_writing_survives(seed_text, catalog_entries):
    """The import saves only the fields it changes: a fact (or another text field) edited in
    the admin after the plan was read is not overwritten with the plan's stale copy."""
    Project.objects.filter(slug="easyrec").update(summary_zh="", import_fingerprints={})
    with transaction.atomic():
        plan = importer.plan_import(sections=importer.parse_seed(text=seed_text), lock=True)
        entry = next(item for item in plan.entries if item.slug == "easyrec")
        assert entry.fields["summary_zh"] is importer.FieldStatus.UPDATED
        # An editor's change lands after the plan read the row.
        Project.objects.filter(slug="easyrec").update(
            license="MIT-edited", summary_en="Edited in the admin"
        )
        importer.apply_plan(plan=plan)
    easyrec = Project.objects.get(slug="easyrec")
    assert easyrec.summary_zh == entry.values["summary_zh"]
    assert (easyrec.license, easyrec.summary_en) == ("MIT-edited", "Edited in the admin")
    assert easyrec.import_fingerprints["summary_zh"] == entry.fingerprints["summary_zh"]


def test_a_real_import_locks_the_rows_it_plans_from(seed_text, catalog_entries, monkeypatch):
    locked: list[bool] = []
    real_plan = importer.plan_import

    def spy(**kwargs):
        locked.append(kwargs.get("lock", False))
        return real_plan(**kwargs)

    monkeypatch.setattr(importer, "plan_import", spy)
    importer.import_seed(text=seed_text, dry_run=True)
    importer.import_seed(text=seed_text)
    assert locked == [False, True]


def test_a_failure_while_writing_rolls_everything_back(seed_text, catalog_entries, monkeypatch):
    Project.objects.filter(slug__in=["g6", "easyrec"]).update(summary_zh="", import_fingerprints={})
    Link.objects.filter(project__slug__in=["g6", "easyrec"]).delete()
    links_to_add = importer.import_seed(text=seed_text, dry_run=True).links_added
    assert links_to_add >= 2
    state = snapshot()
    calls = {"n": 0}
    real_guess = importer.guess_link_type

    def failing_guess(**kwargs):
        calls["n"] += 1
        if calls["n"] == links_to_add:  # the very last write fails
            raise RuntimeError("disk full")
        return real_guess(**kwargs)

    monkeypatch.setattr(importer, "guess_link_type", failing_guess)
    with pytest.raises(RuntimeError):
        importer.import_seed(text=seed_text)
    assert snapshot() == state


# --- Malformed input -----------------------------------------------------------------------

VALID_SECTION = "# 1.EasyRec\n\n#### 简介\nEasyRec 是推荐框架。\n\n- [EasyRec](https://github.com/alibaba/EasyRec)\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n  \n", "the file is empty"),
        (b"just some prose\nno headings\n", "no sections"),
        (
            (VALID_SECTION + "\n# 1.EasyNLP\n\n#### 核心功能\n- **快**：很快。\n").encode(),
            "line 8: section '1.EasyNLP' has no '#### 简介'",
        ),
        (
            (VALID_SECTION + "- [broken](not a url\n").encode(),
            "line 7: broken link",
        ),
        (
            (VALID_SECTION + "- [relative](../README.md)\n").encode(),
            "line 7: link URL is not an http(s) address",
        ),
        (
            ("# 1.EasyRec\n\n#### 简介\n\n#### 核心功能\n- x\n").encode(),
            "line 3: section '1.EasyRec' has an empty 简介",
        ),
        ((VALID_SECTION + VALID_SECTION).encode(), "line 7: section '1.EasyRec' appears twice"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        ("# 标题\n".encode() + b"\xff\xfe bad", "line 2: not valid UTF-8"),
    ],
    ids=[
        "empty",
        "blank",
        "no-sections",
        "no-summary",
        "broken-link",
        "relative-link",
        "empty-summary",
        "duplicate-section",
        "binary",
        "undecodable",
    ],
)
def test_malformed_input_raises_command_error_and_writes_nothing(
    tmp_path: Path, catalog_entries, content: bytes, message: str
):
    Project.objects.filter(slug="easyrec").update(summary_zh="", import_fingerprints={})
    path = tmp_path / "seed.txt"
    path.write_bytes(content)
    state = snapshot()
    with pytest.raises(CommandError, match="nothing was written") as error:
        run(str(path))
    assert message in str(error.value)
    assert snapshot() == state


def test_missing_path_is_a_command_error(tmp_path, catalog_entries):
    with pytest.raises(CommandError, match="file not found"):
        run(str(tmp_path / "nope.txt"))
    with pytest.raises(CommandError, match="not a file"):
        run(str(tmp_path))


def test_a_value_the_catalog_cannot_store_is_a_command_error(tmp_path, catalog_entries):
    Project.objects.filter(slug="easyrec").update(summary_zh="", import_fingerprints={})
    long_url = "https://github.com/alibaba/EasyRec/" + "a" * 600
    path = tmp_path / "seed.txt"
    path.write_text(VALID_SECTION + f"- [Long]({long_url})\n", encoding="utf-8")
    state = snapshot()
    with pytest.raises(CommandError, match="nothing was written") as error:
        run(str(path))
    assert "cannot store" in str(error.value) and "url" in str(error.value)
    assert snapshot() == state


def test_a_database_conflict_is_a_command_error(tmp_path, catalog_entries, monkeypatch):
    def conflict(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(importer, "apply_plan", conflict)
    path = tmp_path / "seed.txt"
    path.write_text(VALID_SECTION, encoding="utf-8")
    with pytest.raises(CommandError, match="duplicate key.*nothing was written"):
        run(str(path))


def test_unknown_sections_are_skipped_and_reported(tmp_path, catalog_entries):
    path = tmp_path / "seed.txt"
    path.write_text(VALID_SECTION + "\n## 不认识的章节\n\n#### 简介\n随便。\n", encoding="utf-8")
    output = run(str(path))
    assert "§ 不认识的章节 (line 8): skipped (unknown section)" in output
    assert "skipped 1" in output


def test_entries_the_seed_does_not_describe_are_reported_as_skipped(real_catalog):
    before = Project.objects.get(slug="funasr").summary_en
    output = run(str(SEED), "--dry-run")
    line = next(x for x in output.splitlines() if x.startswith("Not in the seed, skipped"))
    named = set(line.partition(": ")[2].split(", "))
    assert {"funasr", "paimon", "zvec"} <= named and "easyrec" not in named
    assert "updated 0" in output
    assert Project.objects.get(slug="funasr").summary_en == before
