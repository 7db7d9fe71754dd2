/* authz.c — the authorization table and its scope rules (see authz.h).
 * Separation of duties: an administrator manages accounts and reads, but
 * performs no acta operation; capturistas never see other captures. */
#include <string.h>

#include "ops/authz.h"

static const char *const rol_names[PREP_ROL__COUNT] = {
    [PREP_ROL_ADMIN] = "admin",
    [PREP_ROL_ACOPIO] = "acopio",
    [PREP_ROL_DIGITALIZACION] = "digitalizacion",
    [PREP_ROL_CAPTURA] = "captura",
    [PREP_ROL_VERIFICACION] = "verificacion",
    [PREP_ROL_COTEJO] = "cotejo",
    [PREP_ROL_CAE] = "cae",
    [PREP_ROL_MONITOR] = "monitor",
    [PREP_ROL_AUDITOR] = "auditor",
};

static const char *const acc_names[PREP_ACC__COUNT] = {
    [PREP_ACC_ACTA_LEER] = "read an acta",
    [PREP_ACC_ACTA_CAPTURAS] = "read captured values",
    [PREP_ACC_IMAGEN_LEER] = "read acta images",
    [PREP_ACC_ACOPIO] = "register acopio or sin acta",
    [PREP_ACC_FUERA_CATALOGO] = "register an acta fuera de catalogo",
    [PREP_ACC_IMAGEN_CATD] = "upload CATD scans",
    [PREP_ACC_IMAGEN_CASILLA] = "upload PREP Casilla photos",
    [PREP_ACC_CAPTURA] = "capture actas",
    [PREP_ACC_VERIFICACION] = "verify actas",
    [PREP_ACC_COTEJO] = "cotejo actas",
    [PREP_ACC_AVANCE] = "read the progress report",
    [PREP_ACC_USUARIOS_LEER] = "list user accounts",
    [PREP_ACC_USUARIOS] = "manage user accounts",
    [PREP_ACC_CORTES_LEER] = "read the history of cortes",
    [PREP_ACC_CORTE] = "ask for a corte",
};

#define B(a) (1u << (a))
static const unsigned table[PREP_ROL__COUNT] = {
    [PREP_ROL_ADMIN] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_ACTA_CAPTURAS) |
                       B(PREP_ACC_IMAGEN_LEER) | B(PREP_ACC_AVANCE) |
                       B(PREP_ACC_USUARIOS_LEER) | B(PREP_ACC_USUARIOS) |
                       B(PREP_ACC_CORTES_LEER) | B(PREP_ACC_CORTE),
    [PREP_ROL_ACOPIO] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_ACOPIO) | B(PREP_ACC_FUERA_CATALOGO),
    [PREP_ROL_DIGITALIZACION] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_IMAGEN_LEER) |
                                B(PREP_ACC_IMAGEN_CATD),
    [PREP_ROL_CAPTURA] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_IMAGEN_LEER) | B(PREP_ACC_CAPTURA),
    [PREP_ROL_VERIFICACION] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_ACTA_CAPTURAS) |
                              B(PREP_ACC_IMAGEN_LEER) | B(PREP_ACC_VERIFICACION),
    [PREP_ROL_COTEJO] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_ACTA_CAPTURAS) |
                        B(PREP_ACC_IMAGEN_LEER) | B(PREP_ACC_COTEJO),
    [PREP_ROL_CAE] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_IMAGEN_CASILLA),
    [PREP_ROL_MONITOR] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_AVANCE) | B(PREP_ACC_CORTES_LEER),
    [PREP_ROL_AUDITOR] = B(PREP_ACC_ACTA_LEER) | B(PREP_ACC_ACTA_CAPTURAS) |
                         B(PREP_ACC_IMAGEN_LEER) | B(PREP_ACC_AVANCE) |
                         B(PREP_ACC_USUARIOS_LEER) | B(PREP_ACC_CORTES_LEER),
};
#undef B

const char *prep_rol_name(int rol)
{
    return rol >= 0 && rol < PREP_ROL__COUNT ? rol_names[rol] : NULL;
}

int prep_rol_from_name(const char *name)
{
    for (int r = 0; name && r < PREP_ROL__COUNT; r++)
        if (strcmp(name, rol_names[r]) == 0)
            return r;
    return -1;
}

const char *prep_accion_name(prep_accion a)
{
    return (int)a >= 0 && a < PREP_ACC__COUNT ? acc_names[a] : "?";
}

int prep_authz_role_can(int rol, prep_accion a)
{
    if (rol < 0 || rol >= PREP_ROL__COUNT || (int)a < 0 || a >= PREP_ACC__COUNT)
        return 0;
    return (table[rol] >> a) & 1u;
}

int prep_authz(const prep_scope *who, prep_accion a, int target_catd, int target_cae,
               prep_err *err)
{
    if (!who || !prep_authz_role_can(who->rol, a))
        return prep_fail(err, PREP_E_FORBIDDEN, "role %s may not %s",
                         who && prep_rol_name(who->rol) ? prep_rol_name(who->rol) : "(none)",
                         prep_accion_name(a));
    if (who->rol == PREP_ROL_CAE) {
        /* A CAE reaches only the casillas assigned to it, and nothing else. */
        if (who->cae <= 0)
            return prep_fail(err, PREP_E_FORBIDDEN, "this CAE account has no CAE number");
        if (target_cae != who->cae)
            return prep_fail(err, PREP_E_FORBIDDEN, "this casilla is not assigned to CAE %d",
                             who->cae);
        return 0;
    }
    if (who->catd != 0 && target_catd != 0 && target_catd != who->catd)
        return prep_fail(err, PREP_E_FORBIDDEN,
                         "this acta belongs to CATD %d; this account works at CATD %d",
                         target_catd, who->catd);
    return 0;
}
