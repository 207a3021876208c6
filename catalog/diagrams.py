"""Server-rendered SVG pictures: a stack's layers and an entry's neighbourhood.

Functions here compute geometry only (frozen dataclasses); the template
``catalog/_stack_diagram.html`` and the ``neighbourhood_svg`` tag draw it with presentation
attributes (no ``style``), so the pictures work without JavaScript and under a strict CSP.
Each picture comes in a wide and a narrow variant; CSS shows the one that fits the screen.

Public: the advisor draws its recommended stacks with ``stack_diagrams``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import Maintenance, Project, Stack, StackLayer
from .svg import fit_text, text_width, wrap_text

BOX_HEIGHT = 74
ROW_GAP = 12
BAND_PAD = 12
NAME_SIZE = 14
BADGE_SIZE = 11
BADGE_HEIGHT = 17


@dataclass(frozen=True)
class Variant:
    name: str  # "wide" | "narrow"
    width: int
    label_width: int  # 0: the layer's label is a line above its boxes
    columns: int
    box_width: int
    gap: int


WIDE = Variant(name="wide", width=890, label_width=150, columns=3, box_width=226, gap=26)
NARROW = Variant(name="narrow", width=340, label_width=0, columns=2, box_width=150, gap=24)
VARIANTS = (WIDE, NARROW)


# --- Stack diagrams ----------------------------------------------------------------------


@dataclass(frozen=True)
class DiagramMember:
    """One member as a diagram draws it (from a catalog row or from the advisor's result)."""

    slug: str
    name: str
    role: str
    layer: str
    core: bool = False
    optional: bool = False
    choice_group: str = ""
    maintenance: str = Maintenance.ACTIVE
    url: str = ""


@dataclass(frozen=True)
class Badge:
    kind: str  # "core" | "optional" | "low-activity" | "unmaintained"
    text: str
    x: float
    y: float
    width: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def text_y(self) -> float:
        return self.y + BADGE_HEIGHT - 5


@dataclass(frozen=True)
class Box:
    member: DiagramMember
    x: float
    y: float
    width: float
    height: float
    name: str  # fitted to the box
    role: str  # fitted to the box
    badges: tuple[Badge, ...]
    label: str  # for screen readers: name, role and badges

    @property
    def name_x(self) -> float:
        return self.x + 10

    @property
    def name_y(self) -> float:
        return self.y + 22

    @property
    def role_y(self) -> float:
        return self.y + 40

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Band:
    layer: str
    label_lines: tuple[str, ...]
    y: float
    height: float
    label_x: float
    label_y: float  # baseline of the first line


@dataclass(frozen=True)
class OrMark:
    x: float
    y: float


@dataclass(frozen=True)
class Connector:
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def label_x(self) -> float:
        return (self.x1 + self.x2) / 2

    @property
    def label_y(self) -> float:
        return (self.y1 + self.y2) / 2

    @property
    def pill_x(self) -> float:
        return self.label_x - 14

    @property
    def pill_y(self) -> float:
        return self.label_y - 9

    @property
    def text_y(self) -> float:
        return self.label_y + 3


@dataclass(frozen=True)
class StackDiagram:
    id: str
    variant: str
    width: int
    height: float
    title: str
    desc: str
    bands: tuple[Band, ...]
    boxes: tuple[Box, ...]
    ors: tuple[OrMark, ...]
    connectors: tuple[Connector, ...]
    or_text: str


def members_of(stack: Stack) -> list[DiagramMember]:
    """The stack's members (``Stack.objects.with_members()``: no query here)."""
    return [
        DiagramMember(
            slug=member.project.slug,
            name=member.project.display_name,
            role=member.role,
            layer=member.layer,
            core=member.core,
            optional=member.optional,
            choice_group=member.choice_group,
            maintenance=member.project.maintenance,
            url=member.project.get_absolute_url(),
        )
        for member in stack.members.all()
    ]


def _layer_order() -> dict[str, int]:
    return {value: index for index, value in enumerate(StackLayer.values)}


def _layer_label(layer: str) -> str:
    return str(StackLayer(layer).label) if layer in StackLayer.values else _("Other")


def _badges_for(member: DiagramMember) -> list[tuple[str, str]]:
    badges: list[tuple[str, str]] = []
    if member.core:
        badges.append(("core", "★ " + _("Core")))
    if member.optional:
        badges.append(("optional", _("Optional")))
    if member.maintenance in (Maintenance.LOW_ACTIVITY, Maintenance.UNMAINTAINED):
        badges.append((member.maintenance, str(Maintenance(member.maintenance).label)))
    return badges


def _member_notes(member: DiagramMember) -> list[str]:
    return [text.lstrip("★ ") for _kind, text in _badges_for(member)]


def _band_items(members: Sequence[DiagramMember]) -> list[DiagramMember]:
    """Members in their order, alternatives of one choice group kept side by side."""
    items: list[DiagramMember] = []
    done: set[str] = set()
    for member in members:
        if member.slug in done:
            continue
        group = [member]
        if member.choice_group:
            group = [m for m in members if m.choice_group == member.choice_group]
        for item in group:
            if item.slug not in done:
                done.add(item.slug)
                items.append(item)
    return items


def _by_layer(members: Sequence[DiagramMember]) -> list[tuple[str, list[DiagramMember]]]:
    order = _layer_order()
    layers: dict[str, list[DiagramMember]] = {}
    for member in members:
        layers.setdefault(member.layer, []).append(member)
    return sorted(layers.items(), key=lambda pair: order.get(pair[0], len(order)))


def stack_description(*, members: Sequence[DiagramMember]) -> str:
    """The diagram as text (its ``<desc>``): each layer with its members and their notes."""
    parts: list[str] = []
    for layer, layer_members in _by_layer(members):
        names = []
        for member in layer_members:
            notes = _member_notes(member)
            names.append(f"{member.name} ({', '.join(notes)})" if notes else member.name)
        parts.append(f"{_layer_label(layer)}: {', '.join(names)}")
    groups: dict[str, list[str]] = {}
    for member in members:
        if member.choice_group:
            groups.setdefault(member.choice_group, []).append(member.name)
    for names in groups.values():
        if len(names) > 1:
            parts.append(_("one of: %(names)s") % {"names": _(" or ").join(names)})
    return "; ".join(parts) + "."


def stack_diagram(
    *, members: Sequence[DiagramMember], title: str, ident: str, variant: Variant
) -> StackDiagram:
    bands: list[Band] = []
    boxes: list[Box] = []
    ors: list[OrMark] = []
    y = 0.0
    boxes_x = variant.label_width
    for layer, layer_members in _by_layer(members):
        label = _layer_label(layer)
        top = y
        if variant.label_width:
            lines = wrap_text(label, size=13, max_width=variant.label_width - 24)
            label_y = top + BAND_PAD + 20
            rows_top = top + BAND_PAD
        else:
            lines = [fit_text(label, size=13, max_width=variant.width - 20)]
            label_y = top + 20
            rows_top = top + 28
        items = _band_items(layer_members)
        rows = [items[i : i + variant.columns] for i in range(0, len(items), variant.columns)]
        for row_index, row in enumerate(rows):
            row_y = rows_top + row_index * (BOX_HEIGHT + ROW_GAP)
            for col, member in enumerate(row):
                x = boxes_x + (10 if variant.label_width else 8) + col * (
                    variant.box_width + variant.gap
                )
                boxes.append(_box(member, x=x, y=row_y, width=variant.box_width))
                if col and member.choice_group and row[col - 1].choice_group == member.choice_group:
                    ors.append(OrMark(x=x - variant.gap / 2, y=row_y + BOX_HEIGHT / 2 + 4))
        height = (rows_top - top) + len(rows) * BOX_HEIGHT + (len(rows) - 1) * ROW_GAP + BAND_PAD
        bands.append(
            Band(layer=layer, label_lines=tuple(lines), y=top, height=height,
                 label_x=12, label_y=label_y)
        )
        y = top + height + 6
    return StackDiagram(
        id=f"{ident}-{variant.name}",
        variant=variant.name,
        width=variant.width,
        height=max(y - 6, 1),
        title=title,
        desc=stack_description(members=members),
        bands=tuple(bands),
        boxes=tuple(boxes),
        ors=tuple(ors),
        connectors=tuple(_connectors(boxes)),
        or_text=_("or"),
    )


def _box(member: DiagramMember, *, x: float, y: float, width: float) -> Box:
    badges: list[Badge] = []
    badge_x = x + 10
    for kind, text in _badges_for(member):
        badge_width = text_width(text, size=BADGE_SIZE) + 12
        if badge_x + badge_width > x + width - 6:
            break
        badges.append(Badge(kind=kind, text=text, x=badge_x, y=y + 48, width=badge_width))
        badge_x += badge_width + 5
    notes = _member_notes(member)
    label = f"{member.name}: {member.role}" + (f" ({', '.join(notes)})" if notes else "")
    return Box(
        member=member,
        x=x,
        y=y,
        width=width,
        height=BOX_HEIGHT,
        name=fit_text(member.name, size=NAME_SIZE, max_width=width - 20, bold=True),
        role=fit_text(member.role, size=12, max_width=width - 20),
        badges=tuple(badges),
        label=label,
    )


def _connectors(boxes: Sequence[Box]) -> list[Connector]:
    """Dashed "or" lines between alternatives of one choice group that sit in different layers."""
    lines: list[Connector] = []
    groups: dict[str, list[Box]] = {}
    for box in boxes:
        if box.member.choice_group:
            groups.setdefault(box.member.choice_group, []).append(box)
    for group in groups.values():
        for upper, lower in zip(group, group[1:], strict=False):
            if abs(upper.y - lower.y) < 1:
                continue  # side by side: an "or" mark sits between them
            # Towards the boxes' right end, clear of the layer labels at the left.
            lines.append(Connector(x1=upper.x + upper.width - 28, y1=upper.bottom,
                                   x2=lower.x + lower.width - 28, y2=lower.y))
    return lines


def stack_diagrams(
    *, members: Sequence[DiagramMember], title: str, ident: str
) -> list[StackDiagram]:
    """The wide and the narrow picture of one stack."""
    return [
        stack_diagram(members=members, title=title, ident=ident, variant=variant)
        for variant in VARIANTS
    ]


# --- Neighbourhood of an entry -----------------------------------------------------------

NODE_HEIGHT = 34
NODE_STEP = 44


@dataclass(frozen=True)
class Neighbour:
    name: str
    label: str  # how it relates: "Runs on", "Platform for", "Stack", ...
    url: str
    kind: str  # "out" (this entry -> it), "in" (it -> this entry) or "stack"
    maintenance: str = Maintenance.ACTIVE


@dataclass(frozen=True)
class NeighbourNode:
    neighbour: Neighbour
    x: float
    y: float
    width: float
    name: str
    label: str
    # the edge, from the centre entry's box to this node
    x1: float
    y1: float
    x2: float
    y2: float
    label_x: float
    label_y: float
    anchor: str  # text-anchor of the edge label


@dataclass(frozen=True)
class NeighbourhoodDiagram:
    id: str
    variant: str
    width: int
    height: float
    title: str
    desc: str
    center_name: str
    center_x: float
    center_y: float
    center_width: float
    nodes: tuple[NeighbourNode, ...]


def neighbours_of(
    *, project: Project, related: Iterable[tuple[str, str, list[Project]]], stacks: Iterable[Stack]
) -> list[Neighbour]:
    """Relations (``(label, direction, projects)``), successor, predecessors and stacks."""
    out: list[Neighbour] = []
    seen: set[tuple[str, str]] = set()

    def add(item: Neighbour) -> None:
        key = (item.url, item.label)
        if key not in seen:
            seen.add(key)
            out.append(item)

    for label, direction, projects in related:
        for other in projects:
            add(Neighbour(name=other.display_name, label=label, url=other.get_absolute_url(),
                          kind=direction, maintenance=other.maintenance))
    if project.successor and project.successor.get_absolute_url() not in {n.url for n in out}:
        add(Neighbour(name=project.successor.display_name, label=_("Successor"),
                      url=project.successor.get_absolute_url(), kind="out",
                      maintenance=project.successor.maintenance))
    for old in project.predecessors.all():
        if old.get_absolute_url() in {n.url for n in out}:
            continue
        add(Neighbour(name=old.display_name, label=_("Replaces"), url=old.get_absolute_url(),
                      kind="in", maintenance=old.maintenance))
    for stack in stacks:
        add(Neighbour(name=stack.name, label=_("Stack"), url=stack.get_absolute_url(),
                      kind="stack"))
    return out


def neighbourhood_diagrams(
    *, center: str, neighbours: Sequence[Neighbour], ident: str
) -> list[NeighbourhoodDiagram]:
    if not neighbours:
        return []
    title = _("Neighbourhood of %(name)s") % {"name": center}
    desc = "; ".join(f"{item.label}: {item.name}" for item in neighbours) + "."
    return [
        _neighbourhood_wide(center=center, neighbours=neighbours, ident=ident, title=title,
                            desc=desc),
        _neighbourhood_narrow(center=center, neighbours=neighbours, ident=ident, title=title,
                              desc=desc),
    ]


def _neighbourhood_wide(
    *, center: str, neighbours: Sequence[Neighbour], ident: str, title: str, desc: str
) -> NeighbourhoodDiagram:
    width, column = 720, 200
    left = [n for n in neighbours if n.kind == "in"]
    right = [n for n in neighbours if n.kind == "out"]
    below = [n for n in neighbours if n.kind == "stack"]
    rows = max(len(left), len(right), 1 + len(below))
    height = rows * NODE_STEP + 10
    center_x, center_width = 260.0, 200.0
    center_y = 5.0 + (max(len(left), len(right), 1) - 1 - len(below)) * NODE_STEP / 2
    center_y = max(5.0, center_y)
    middle_y = center_y + NODE_HEIGHT / 2
    nodes: list[NeighbourNode] = []
    for index, item in enumerate(left):
        y = 5 + index * NODE_STEP
        nodes.append(_node(item, x=10, y=y, width=column, x1=center_x, y1=middle_y,
                           x2=10 + column, y2=y + NODE_HEIGHT / 2, label_x=14 + column,
                           anchor="start"))
    for index, item in enumerate(right):
        y = 5 + index * NODE_STEP
        x = width - 10 - column
        nodes.append(_node(item, x=x, y=y, width=column, x1=center_x + center_width,
                           y1=middle_y, x2=x, y2=y + NODE_HEIGHT / 2, label_x=x - 4,
                           anchor="end"))
    for index, item in enumerate(below):
        y = center_y + (index + 1) * NODE_STEP
        x = center_x + 20
        nodes.append(_node(item, x=x, y=y, width=center_width - 20, x1=center_x + 10,
                           y1=center_y + NODE_HEIGHT, x2=x, y2=y + NODE_HEIGHT / 2,
                           label_x=x + 4, anchor="start", label_inside=True))
    return NeighbourhoodDiagram(
        id=f"{ident}-wide", variant="wide", width=width, height=height, title=title, desc=desc,
        center_name=fit_text(center, size=NAME_SIZE, max_width=center_width - 16, bold=True),
        center_x=center_x, center_y=center_y, center_width=center_width, nodes=tuple(nodes),
    )


def _neighbourhood_narrow(
    *, center: str, neighbours: Sequence[Neighbour], ident: str, title: str, desc: str
) -> NeighbourhoodDiagram:
    width = 340
    nodes: list[NeighbourNode] = []
    for index, item in enumerate(neighbours):
        y = 5 + (index + 1) * NODE_STEP
        nodes.append(_node(item, x=40, y=y, width=width - 45, x1=20, y1=5 + NODE_HEIGHT,
                           x2=40, y2=y + NODE_HEIGHT / 2, label_x=44, anchor="start",
                           label_inside=True, elbow=True))
    return NeighbourhoodDiagram(
        id=f"{ident}-narrow", variant="narrow", width=width,
        height=(len(neighbours) + 1) * NODE_STEP + 10, title=title, desc=desc,
        center_name=fit_text(center, size=NAME_SIZE, max_width=width - 26, bold=True),
        center_x=5, center_y=5, center_width=width - 10, nodes=tuple(nodes),
    )


def _node(
    item: Neighbour,
    *,
    x: float,
    y: float,
    width: float,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    label_x: float,
    anchor: str,
    label_inside: bool = False,
    elbow: bool = False,
) -> NeighbourNode:
    if label_inside:
        # The relation is written inside the node, after the name, in a lighter line; a
        # stack needs none (its pill shape and dashed line say what it is).
        label = "" if item.kind == "stack" else fit_text(item.label, size=11,
                                                         max_width=width * 0.45)
        name = fit_text(item.name, size=13,
                        max_width=width - 20 - (text_width(label, size=11) if label else 0))
        label_x, label_y = x + width - 8, y + NODE_HEIGHT / 2 + 4
        anchor = "end"
    else:
        label = fit_text(item.label, size=11, max_width=120)
        name = fit_text(item.name, size=13, max_width=width - 16)
        label_y = y2 - 5
    return NeighbourNode(
        neighbour=item, x=x, y=y, width=width, name=name, label=label,
        x1=x1, y1=y1 if not elbow else y1, x2=x2, y2=y2,
        label_x=label_x, label_y=label_y, anchor=anchor,
    )
