from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    AGENT = "agent"
    SUPPLIER = "supplier"
    CLIENT = "client"
    # a Polish lessor's staff (seed 002), each with its own menu
    SALES = "sales"  # Sprzedaż: offers, applications, signing
    RISK = "risk"  # Ryzyko: the analyst
    BACK_OFFICE = "back_office"  # Back Office: the documents' check, the payment
    COLLECTIONS = "collections"  # windykacja (issue 19)


#: roles an admin hands out by invite link; admins come from ADMIN_IDS or a grant
INVITABLE_ROLES = frozenset({Role.MANAGER, Role.AGENT, Role.SUPPLIER, Role.SALES, Role.RISK, Role.BACK_OFFICE,
                             Role.COLLECTIONS})
#: a lessor's staff (seed 002): they see the lease cases their role allows
LEASE_STAFF = frozenset({Role.ADMIN, Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS})
#: who keeps a running contract's books: bank statements, the lines kept aside (seed 002, Rozliczanie)
BOOKS_STAFF = frozenset({Role.BACK_OFFICE, Role.COLLECTIONS, Role.ADMIN})
#: roles whose people bring clients through a referral link
REFERRER_ROLES = frozenset({Role.AGENT, Role.SUPPLIER})
#: the company's own people: they work leads, tasks and deals, and see the CRM's lists and boards
STAFF = frozenset({Role.ADMIN, Role.MANAGER})
#: the operator's own people (the business that deploys the bot): they join its teams, by invite or by an admin
OPERATOR_STAFF = frozenset({Role.ADMIN, Role.MANAGER, Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS})
#: the roles a person may hold besides their first one (a salesperson who also works leads and deals, a back-office
#: clerk who also does collections); an admin is made one by ``users.role`` (ADMIN_IDS or a grant), never as an extra
EXTRA_ROLES = frozenset({Role.MANAGER, Role.SALES, Role.RISK, Role.BACK_OFFICE, Role.COLLECTIONS})
#: the staff roles an invite may name a team for (a partner company's manager is invited to the company instead)
TEAM_ROLES = EXTRA_ROLES


def held(user) -> tuple[Role, ...]:
    """Every role a person holds, the first one (their menu opens with it) first, then the others in a fixed order."""
    extra = {*(user.extra_roles or ())} if hasattr(user, "extra_roles") else set()
    return (Role(user.role), *(r for r in Role if r in extra and r != user.role))


def holds(user, *roles: Role) -> bool:
    """Whether a person (anything with ``role`` and ``extra_roles``) holds one of ``roles``, first role or extra."""
    return bool({user.role, *(user.extra_roles or ())} & {*roles})
