/* SPDX-License-Identifier: MIT */
/*
 * compat_glibc: the kcompat headers coexist with glibc and the UAPI
 * headers in either order. Building the program is most of the test; the
 * checks then confirm that both families still mean what they should.
 * This file itself includes kernel headers before CMocka's.
 */
#include <linux/interrupt.h>
#include <linux/kernel.h>
#include <linux/spinlock.h>

#include "test_util.h"

#include "glibc_test.h"

static void test_kcompat_headers_then_glibc_headers(void **state)
{
	(void)state;
	assert_int_equal(kcompat_then_glibc_check(), 0);
}

static void test_glibc_headers_then_kcompat_headers(void **state)
{
	(void)state;
	assert_int_equal(glibc_then_kcompat_check(), 0);
}

static void test_glibc_headers_alone_reach_kcompat_unharmed(void **state)
{
	(void)state;
	assert_int_equal(glibc_only_check(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kcompat_headers_then_glibc_headers),
		cmocka_unit_test(test_glibc_headers_then_kcompat_headers),
		cmocka_unit_test(
			test_glibc_headers_alone_reach_kcompat_unharmed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
