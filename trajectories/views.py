"""Trajectory pages. Thin: fetch through the access functions, parse a form, call one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from casework.access import access_log_record
from casework.compartments import is_health_code, sees_health_of
from casework.models import LifeDomain

from . import compartments, services
from .access import (
    get_action_for_user,
    get_assessment_for_user,
    get_detainee_for_trajectory_work,
    get_goal_for_user,
    get_trajectory_for_user,
)
from .forms import (
    ActionForm,
    ActionStatusForm,
    AssessmentForm,
    AssessmentStartForm,
    AssignForm,
    ExplorationForm,
    GoalForm,
    GoalReviewForm,
    ReferralForm,
    TransitionForm,
    add_service_errors,
)
from .models import (
    Action,
    Trajectory,
)
from .selectors_page import trajectory_page


def _form_page(
    request,
    *,
    title: str,
    form,
    trajectory: Trajectory | None = None,
    subtitle: str = "",
    submit: str = "",
    back: str = "",
    intro: str = "",
):
    return render(
        request,
        "trajectories/form_page.html",
        {
            "title": title,
            "subtitle": subtitle,
            "form": form,
            "trajectory": trajectory,
            "submit": submit or _("Opslaan"),
            "back": back or (trajectory and _url(trajectory)) or "",
            "intro": intro,
        },
    )


def _url(trajectory: Trajectory) -> str:
    from django.urls import reverse

    return reverse("trajectories:detail", args=[trajectory.pk])


def _writable(request, pk) -> Trajectory:
    """A trajectory the user may change: invisible is 404, visible but read-only is 403."""
    trajectory = get_trajectory_for_user(request.user, pk)
    if not request.user.has_perm("trajectories.change", trajectory):
        raise PermissionDenied
    return trajectory


# --- The trajectory page ---------------------------------------------------------------------------


@login_required
def trajectory_detail(request, pk):
    """Status bar with history, life-domain matrix with trend, actions, assessments and the merged timeline."""
    trajectory = get_trajectory_for_user(request.user, pk)
    access_log_record(request, detainee=trajectory.detainee, object_kind="trajectory", object_id=trajectory.pk)
    page = trajectory_page(trajectory, request.user)
    context = page.context()
    if page.can_change and trajectory.is_open:
        context["transition_form"] = TransitionForm(trajectory=trajectory)
    return render(request, "trajectories/detail.html", context)


# --- Referral, lifecycle, team ---------------------------------------------------------------------


@login_required
def trajectory_refer(request, detainee_pk):
    detainee = get_detainee_for_trajectory_work(request.user, detainee_pk)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trajectory = services.trajectory_refer(detainee=detainee, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De aanmelding is geregistreerd."))
            return redirect(_url(trajectory))
    return _form_page(
        request,
        title=_("Aanmelding registreren"),
        subtitle=detainee.full_name,
        form=form,
        back=f"/gedetineerden/{detainee.pk}/",
    )


@login_required
def trajectory_transition(request, pk):
    trajectory = _writable(request, pk)
    form = TransitionForm(request.POST or None, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_transition(trajectory=trajectory, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De status is nu '%(status)s'.") % {"status": trajectory.get_status_display()})
            return redirect(_url(trajectory))
    return _form_page(
        request,
        title=_("Status wijzigen"),
        subtitle=str(trajectory.detainee),
        form=form,
        trajectory=trajectory,
        intro=_("Huidige status: %(status)s. Nazorg start automatisch wanneer een vrijlating geregistreerd wordt.")
        % {"status": trajectory.get_status_display()},
    )


@login_required
def trajectory_assign(request, pk):
    trajectory = get_trajectory_for_user(request.user, pk)
    if not request.user.has_perm("trajectories.assign", trajectory):
        raise PermissionDenied
    initial = {"lead": trajectory.lead_consultant_id, "co_consultants": list(trajectory.co_consultants.all())}
    form = AssignForm(request.POST or None, initial=initial, organisation_id=trajectory.detainee.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_assign(
                trajectory=trajectory,
                user=request.user,
                lead=form.cleaned_data["lead"],
                co_consultants=form.cleaned_data["co_consultants"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het traject is toegewezen; het dossierteam is mee aangepast."))
            return redirect("trajectories:inbox" if request.POST.get("next") == "inbox" else _url(trajectory))
    return _form_page(
        request,
        title=_("Traject toewijzen"),
        subtitle=str(trajectory.detainee),
        form=form,
        trajectory=trajectory,
        intro=_("De hoofdconsulent en co-consulenten volgen ook het dossier van de gedetineerde."),
    )


@login_required
def referral_inbox(request):
    """The manager's inbox: referrals waiting for intake, oldest first, with days waiting and assignment."""
    if not request.user.has_perm("trajectories.view_inbox"):
        raise Http404
    waiting = (
        Trajectory.objects.visible_to(request.user)
        .waiting_referrals()
        .select_related("detainee", "detainee__current_prison", "lead_consultant", "referring_organisation")
    )
    page = Paginator(waiting, 50).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for trajectory in page.object_list:
        trajectory.days_waiting = (today - trajectory.referred_on).days
    return render(request, "trajectories/inbox.html", {"page": page})


# --- Explorations, goals, reviews -----------------------------------------------------------------------


@login_required
def exploration_edit(request, pk, domain_code):
    trajectory = _writable(request, pk)
    domain = get_object_or_404(LifeDomain, code=domain_code)
    if is_health_code(domain.code) and not sees_health_of(request.user, trajectory.detainee):
        # The health domain's exploration is health content (casework/compartments.py): not shown, not written.
        raise Http404
    existing = trajectory.explorations.filter(domain=domain).first()
    initial = {"need": existing.need if existing else "not_yet_explored"}
    if existing:
        initial.update(explored_on=existing.explored_on, deferral_reason=existing.deferral_reason, note=existing.note)
    form = ExplorationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.exploration_record(trajectory=trajectory, user=request.user, domain=domain, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Verkenning van '%(domain)s' bewaard.") % {"domain": domain.label})
            return redirect(_url(trajectory) + "#domeinen")
    return _form_page(
        request,
        title=_("Domein verkennen: %(domain)s") % {"domain": domain.label},
        subtitle=str(trajectory.detainee),
        form=form,
        trajectory=trajectory,
    )


@login_required
def goal_create(request, pk):
    trajectory = _writable(request, pk)
    initial = {}
    if request.GET.get("domein"):
        initial["domain"] = LifeDomain.objects.filter(code=request.GET["domein"]).first()
    form = GoalForm(request.POST or None, initial=initial, user=request.user, trajectory=trajectory)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "status" and not v)}
        try:
            services.goal_create(trajectory=trajectory, user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het doel is toegevoegd."))
            return redirect(_url(trajectory) + "#domeinen")
    return _form_page(
        request, title=_("Doel toevoegen"), subtitle=str(trajectory.detainee), form=form, trajectory=trajectory
    )


@login_required
def goal_update(request, goal_pk):
    goal = get_goal_for_user(request.user, goal_pk, perm="trajectories.change")
    fields = (
        "domain",
        "description",
        "agreed_with_detainee",
        "agreed_on",
        "status",
        "target_date",
        "responsible_organisation",
    )
    form = GoalForm(
        request.POST or None,
        initial={name: getattr(goal, name) for name in fields},
        user=request.user,
        trajectory=goal.trajectory,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not (k == "status" and not v)}
        try:
            services.goal_update(goal=goal, user=request.user, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Het doel is bijgewerkt."))
            return redirect(_url(goal.trajectory) + "#domeinen")
    return _form_page(
        request, title=_("Doel wijzigen"), subtitle=str(goal.trajectory.detainee), form=form, trajectory=goal.trajectory
    )


@login_required
def goal_review(request, goal_pk):
    goal = get_goal_for_user(request.user, goal_pk, perm="trajectories.change")
    form = GoalReviewForm(request.POST or None, initial={"reviewed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_review_add(goal=goal, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De evaluatie is bewaard."))
            return redirect(_url(goal.trajectory) + "#voortgang")
    return _form_page(
        request,
        title=_("Doel evalueren"),
        subtitle=goal.description,
        form=form,
        trajectory=goal.trajectory,
        intro=_("Hoe ver staat dit doel? 0 = nog geen voortgang, 4 = bereikt."),
    )


# --- Actions ------------------------------------------------------------------------------------------------


@login_required
def action_create(request, pk):
    trajectory = _writable(request, pk)
    initial = {"owner_user": request.user.pk if request.user.is_consultant else None}
    if request.GET.get("doel"):
        initial["goal"] = request.GET["doel"]
    form = ActionForm(request.POST or None, trajectory=trajectory, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        goal = data.pop("goal")
        try:
            services.action_create(
                detainee=trajectory.detainee, user=request.user, trajectory=trajectory, goal=goal, **data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("De actie is toegevoegd."))
            return redirect(_url(trajectory) + "#acties")
    return _form_page(
        request, title=_("Actie toevoegen"), subtitle=str(trajectory.detainee), form=form, trajectory=trajectory
    )


@login_required
@require_POST
def action_status(request, action_pk):
    action = get_action_for_user(request.user, action_pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_set_status(action=action, user=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("Actie bijgewerkt."))
    else:
        messages.error(request, _("Onbekende status."))
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else "trajectories:actions")


@login_required
def action_list(request):
    """One list of open actions of the organisation: from goals and case conferences alike, overdue first."""
    if not request.user.is_case_staff:
        raise Http404
    qs = Action.objects.visible_to(request.user).open().for_list()
    if request.GET.get("mijn") == "1":
        qs = qs.filter(owner_user=request.user)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "trajectories/actions.html",
        {"page": page, "today": timezone.localdate(), "mine": request.GET.get("mijn") == "1"},
    )


# --- Assessments ----------------------------------------------------------------------------------------------


@login_required
def assessment_start(request, pk):
    trajectory = _writable(request, pk)
    form = AssessmentStartForm(request.POST or None, initial={"template": request.GET.get("instrument")})
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_start(trajectory=trajectory, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("trajectories:assessment", assessment.pk)
    return _form_page(
        request, title=_("Nieuwe inschatting"), subtitle=str(trajectory.detainee), form=form, trajectory=trajectory
    )


@login_required
def assessment_detail(request, assessment_pk):
    """A draft is filled in here; a finalised assessment is shown read-only with a 'correct' button."""
    assessment = get_assessment_for_user(request.user, assessment_pk)
    trajectory = assessment.trajectory
    can_change = request.user.has_perm("trajectories.change", trajectory)
    ratings = list(
        compartments.ratings_for(request.user, trajectory.detainee)
        .filter(assessment=assessment)
        .order_by("item__section__order", "item__order", "pk")
    )
    form = None
    if can_change and not assessment.is_final:
        initial = {
            name: getattr(assessment, name)
            for name in ("assessed_on", "sources", "overall_judgement", "overall_note", "changes_since_last")
        }
        form = AssessmentForm(request.POST or None, ratings=ratings, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if not k.startswith(("rating_", "evidence_"))}
            try:
                services.assessment_update(
                    assessment=assessment, user=request.user, ratings=form.ratings_payload(), **data
                )
                if "finalise" in request.POST:
                    services.assessment_finalise(assessment=assessment, user=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("De inschatting is definitief.") if "finalise" in request.POST else _("Ontwerp bewaard.")
                )
                return redirect("trajectories:assessment", assessment.pk)
    elif request.method == "POST":
        raise PermissionDenied
    access_log_record(request, detainee=trajectory.detainee, object_kind="assessment", object_id=assessment.pk)
    return render(
        request,
        "trajectories/assessment.html",
        {
            "assessment": assessment,
            "trajectory": trajectory,
            "ratings": ratings,
            "form": form,
            "can_change": can_change,
        },
    )


@login_required
@require_POST
def assessment_correct(request, assessment_pk):
    assessment = get_assessment_for_user(request.user, assessment_pk, perm="trajectories.change")
    try:
        correction = services.assessment_start(
            trajectory=assessment.trajectory, user=request.user, template=assessment.template, corrects=assessment
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("trajectories:assessment", assessment.pk)
    messages.info(request, _("Correctie gestart: pas aan wat niet klopte en maak ze definitief."))
    return redirect("trajectories:assessment", correction.pk)
