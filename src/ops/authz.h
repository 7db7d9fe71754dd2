/* authz.h — who may do what: role × action × the acta's CATD / casilla's CAE,
 * as one pure function (no I/O, no session lookups), so the whole policy is
 * one table that the unit tests walk cell by cell. Authentication (who the
 * caller is) lives in users.h and the HTTP layer, not here. */
#ifndef PREP_AUTHZ_H
#define PREP_AUTHZ_H

#include "util/err.h"

typedef enum {
    PREP_ROL_ADMIN = 0,
    PREP_ROL_ACOPIO,
    PREP_ROL_DIGITALIZACION,
    PREP_ROL_CAPTURA,
    PREP_ROL_VERIFICACION,
    PREP_ROL_COTEJO,
    PREP_ROL_CAE,
    PREP_ROL_MONITOR,
    PREP_ROL_AUDITOR,
    PREP_ROL__COUNT
} prep_rol;

typedef enum {
    PREP_ACC_ACTA_LEER = 0,   /* state, timestamps, list of images of an acta */
    PREP_ACC_ACTA_CAPTURAS,   /* the captured values (never shown to capturistas: blind double capture) */
    PREP_ACC_IMAGEN_LEER,     /* the bytes of an acta image */
    PREP_ACC_ACOPIO,          /* acopio and sin acta */
    PREP_ACC_FUERA_CATALOGO,
    PREP_ACC_IMAGEN_CATD,     /* upload a CATD scan (ESCANER) */
    PREP_ACC_IMAGEN_CASILLA,  /* upload a PREP Casilla photo (MOVIL) */
    PREP_ACC_CAPTURA,         /* capture, and ask for capture work */
    PREP_ACC_VERIFICACION,    /* verify / resolve / reject, and ask for verification work */
    PREP_ACC_COTEJO,          /* cotejo, and ask for cotejo work */
    PREP_ACC_AVANCE,          /* progress per election, state and CATD */
    PREP_ACC_USUARIOS_LEER,   /* list the operator accounts */
    PREP_ACC_USUARIOS,        /* create accounts, change role / CATD / CAE, disable, reset password */
    PREP_ACC_CORTES_LEER,     /* the history of cortes */
    PREP_ACC_CORTE,           /* ask for a corte now */
    PREP_ACC__COUNT
} prep_accion;

/* The caller as authorization sees it. catd 0 = every CATD (central
 * staff); cae is the CAE number of a user with role cae. */
typedef struct {
    int rol;
    int catd;
    int cae;
} prep_scope;

/* Decide. target_catd / target_cae describe the acta's casilla (its CATD and
 * its assigned CAE, 0 = none); pass target_catd = 0 and target_cae = -1 for
 * an action that is not about one acta (work queue, avance, fuera de
 * catálogo). Returns 0 when allowed, else -1 with PREP_E_FORBIDDEN and a
 * message naming the role and what it lacks. */
int prep_authz(const prep_scope *who, prep_accion a, int target_catd, int target_cae,
               prep_err *err);

/* 1 when the role may do the action somewhere (the role column of the table). */
int prep_authz_role_can(int rol, prep_accion a);

const char *prep_rol_name(int rol);       /* "admin", ...; NULL if unknown */
int prep_rol_from_name(const char *name); /* -1 if unknown */
const char *prep_accion_name(prep_accion a);

#endif
