package dev.compactor.access;

import java.util.regex.Pattern;

/** Tenant ids: what may name a tenant, since every table key starts with one. */
public final class Tenants {
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private Tenants() {}

    /** Letters, digits, {@code _ . -}; 1 to 64 of them (no {@code #}, the key separator). */
    public static boolean valid(String tenant) {
        return tenant != null && TENANT.matcher(tenant).matches();
    }
}
