from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    SUPPLIER = "supplier"
    CLIENT = "client"


#: roles an admin hands out by invite link; admins come from ADMIN_IDS or a grant
INVITABLE_ROLES = frozenset({Role.MANAGER, Role.AGENT, Role.SUPPLIER})
#: roles whose people bring clients through a referral link
REFERRER_ROLES = frozenset({Role.AGENT, Role.SUPPLIER})
#: the company's own people: they work leads, tasks and deals, and see the CRM's lists and boards
STAFF = frozenset({Role.ADMIN, Role.MANAGER})
