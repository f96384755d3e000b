/* SPDX-License-Identifier: MIT */
/*
 * Kernel-compat <linux/mod_devicetable.h>: struct platform_device_id (the
 * entries of a platform driver's id_table: a name and driver_data) and
 * PLATFORM_NAME_SIZE. It is struct usoftirq_platform_device_id
 * (<usoftirq/platform.h>). The other bus tables (of_device_id,
 * acpi_device_id, pci_device_id ...) are not provided: the platform bus
 * matches by name only.
 */
#ifndef USOFTIRQ_KCOMPAT_LINUX_MOD_DEVICETABLE_H
#define USOFTIRQ_KCOMPAT_LINUX_MOD_DEVICETABLE_H

#include <linux/ioport.h> /* <usoftirq/platform.h>, in the right order */

#define platform_device_id usoftirq_platform_device_id
#define PLATFORM_NAME_SIZE USOFTIRQ_PLATFORM_NAME_SIZE

#endif /* USOFTIRQ_KCOMPAT_LINUX_MOD_DEVICETABLE_H */
