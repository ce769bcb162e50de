/* Shared by the unit and live tests: cmocka and small utilities. */
#ifndef SYSCAGE_TESTS_HELPERS_H
#define SYSCAGE_TESTS_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
