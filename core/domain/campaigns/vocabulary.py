"""The words a parser of the cold-call area reads from what people give it (a campaign's spreadsheet, a typed survey
template, a typed КП line, a typed call cadence): they are the files' and the typists' words, in the languages they
are written in, so they stay here, in one place; every word the bot says is in bot/locales. (1C's own formats,
CommerceML and the client bank's statement, keep their element names and keys in their modules: commerceml.py,
client_bank.py.)"""

from __future__ import annotations

#: a campaign spreadsheet's column headers, by the field each fills (lower case)
CAMPAIGN_COLUMNS = {
    "org": ("организация", "контрагент", "наименование", "компания", "organisation", "organization", "company"),
    "inn": ("инн", "inn"),
    "kpp": ("кпп", "kpp"),  # a branch's: its company's INN with its own KPP
    "person": ("контактное лицо", "контакт", "фио", "имя", "contact", "name"),
    "phone": ("телефон", "phone", "тел"),
    "email": ("e-mail", "email", "почта", "эл. почта"),
    "city": ("город", "city"),
    "comment": ("комментарий", "comment"),
}

#: how a line of a typed survey template names its kind (core.domain.campaigns.survey.Kind), in the three languages
SURVEY_KINDS = {
    "text": ("текст", "text", "tekst"), "number": ("число", "number", "liczba"),
    "one": ("один", "one", "jeden"), "many": ("несколько", "many", "kilka"),
    "yesno": ("да/нет", "yes/no", "tak/nie"), "date": ("дата", "date", "data"),
}

#: a typed КП line's VAT column saying there is none
NO_VAT = ("без ндс", "без", "-", "no vat", "bez vat")
#: the unit a typed КП line gets when it names none (the seed's «шт»)
DEFAULT_UNIT = "шт"

#: the stems a typed call cadence's unit starts with (core.domain.campaigns.counterparties.Unit)
CADENCE_UNITS = {"day": ("д", "day", "dzie", "dni"), "week": ("нед", "week", "tydz", "tygod"),
                 "month": ("мес", "month", "miesi")}
