"""The shipping rule (seed 001, stages 13–14): an order ships when it is paid in full or its contract allows
shipping before payment; the refusal says which, in each language."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.i18n import Translator
from core.domain.campaigns.orders import Paid, ShipBeforePayment, check_shipping


def test_the_shipping_refusal_says_why_in_each_language():
    with pytest.raises(ShipBeforePayment) as refused:
        check_shipping("7-1", Paid(Decimal("43065.00"), Decimal("40000")), ship_unpaid=False)
    check_shipping("7-1", Paid(Decimal("43065.00"), Decimal("0")), ship_unpaid=True)  # the contract allows it
    check_shipping("7-1", Paid(Decimal("43065.00"), Decimal("43065.00")), ship_unpaid=False)  # paid in full
    said = {lang: Translator(lang).reason(refused.value.key, refused.value.params) for lang in ("ru", "en", "pl")}
    nbsp = "\xa0"
    assert said == {
        "ru": f"Заказ 7-1 не отгружается: он не оплачен (осталось 3{nbsp}065 ₽), а договор не разрешает отгрузку "
              "без оплаты.",
        "en": "Order 7-1 cannot be shipped: it is not paid (3,065 ₽ remain), and the contract does not allow "
              "shipping before payment.",
        "pl": f"Zamówienia 7-1 nie można wysłać: nie jest opłacone (pozostało 3{nbsp}065 ₽), a umowa nie pozwala na "
              "wysyłkę przed płatnością."}
