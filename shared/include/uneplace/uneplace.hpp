// uneplace shared module — everything at once (the domain rules of DOMAIN.md).
#pragma once
#include "uneplace/allocation.hpp"
#include "uneplace/codes.hpp"
#include "uneplace/csv.hpp"
#include "uneplace/domain.hpp"
#include "uneplace/errors.hpp"
#include "uneplace/french.hpp"
#include "uneplace/impact.hpp"
#include "uneplace/invitation.hpp"
#include "uneplace/local_time.hpp"
#include "uneplace/rules.hpp"
#include "uneplace/validation.hpp"
