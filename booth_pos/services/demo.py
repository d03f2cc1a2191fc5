"""Demo data: the goods of a Henan county's Spring Festival fair and the people at the booth.

Demo PINs (documented in README.md): coordinator 张敏 8888; operators 李娜 1111, 赵磊 2222.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from booth_pos.services.auth import ROLE_COORDINATOR, ROLE_OPERATOR, add_operator
from booth_pos.services.catalog import (
    HouseholdRow,
    ImportResult,
    ProductRow,
    import_catalog,
)

DEMO_PEOPLE = (
    ("张敏", ROLE_COORDINATOR, "8888"),
    ("李娜", ROLE_OPERATOR, "1111"),
    ("赵磊", ROLE_OPERATOR, "2222"),
)

DEMO_HOUSEHOLDS = (
    HouseholdRow("H001", "李桂兰", "poverty_registered", "后湖村", "莲花镇"),
    HouseholdRow("H002", "王建国家庭农场", "family_farm", "槐树岭村", "石桥镇"),
    HouseholdRow("H003", "马庄烧鸡合作社", "cooperative", "马庄村", "城关镇"),
    HouseholdRow("H004", "青石村黄酒合作社", "cooperative", "青石村", "石桥镇"),
    HouseholdRow("H005", "赵秀英", "poverty_registered", "刘湾村", "莲花镇"),
    HouseholdRow("H006", "陈家庄食用菌合作社", "cooperative", "陈家庄村", "城关镇"),
)


def _p(
    plu: str,
    name_zh: str,
    name_en: str,
    category: str,
    unit: str,
    price_fen: int,
    household: str,
    barcode: str | None = None,
    label: tuple[str, str] = ("", ""),
) -> ProductRow:
    return ProductRow(
        plu=plu,
        barcode=barcode,
        name_zh=name_zh,
        name_en=name_en,
        category=category,
        unit=unit,
        item_label_zh=label[0],
        item_label_en=label[1],
        price_fen=price_fen,
        household_code=household,
        active=True,
    )


DEMO_PRODUCTS = (
    _p("101", "莲藕", "Lotus root", "蔬菜", "jin", 350, "H001"),
    _p("102", "精品莲藕", "Lotus root, select", "蔬菜", "jin", 480, "H001"),
    _p(
        "201",
        "槐花蜜 500g",
        "Acacia honey 500 g",
        "蜂蜜",
        "item",
        4500,
        "H002",
        "6975123400010",
        ("罐", "jar"),
    ),
    _p(
        "202",
        "枣花蜜 1kg",
        "Jujube honey 1 kg",
        "蜂蜜",
        "item",
        7800,
        "H002",
        "6975123400027",
        ("罐", "jar"),
    ),
    _p("301", "烧鸡", "Roast chicken", "熟食", "item", 3800, "H003", None, ("只", "each")),
    _p(
        "401",
        "黄酒 500ml",
        "Huangjiu 500 ml",
        "酒水",
        "item",
        2500,
        "H004",
        "6975123400041",
        ("瓶", "bottle"),
    ),
    _p(
        "501",
        "红薯粉条 1kg",
        "Sweet potato noodles 1 kg",
        "干货",
        "item",
        1800,
        "H005",
        "6975123400058",
        ("袋", "bag"),
    ),
    _p("601", "鲜香菇", "Fresh shiitake", "菌菇", "jin", 1200, "H006"),
    _p("602", "干香菇", "Dried shiitake", "菌菇", "jin", 4800, "H006"),
)


def load_demo(session: Session) -> ImportResult:
    for name, role, pin in DEMO_PEOPLE:
        add_operator(session, name, role, pin)
    return import_catalog(session, DEMO_HOUSEHOLDS, DEMO_PRODUCTS)
