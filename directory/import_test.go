package directory

import (
	"context"
	"testing"

	"github.com/signpost-uk/signpost/directory/refdata"
)

func TestImportBundledNorthLincsFeed(t *testing.T) {
	s, _ := openTestStore(t)
	ctx := context.Background()
	b, err := ParseORUK(refdata.NorthLincsServices)
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Import(ctx, b, ImportOptions{PrepareOptions: PrepareOptions{Source: refdata.NorthLincsSource, Area: refdata.NorthLincsArea}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Created != 738 || r.Updated != 0 || r.Unchanged != 0 || len(r.Rejected) != 0 {
		t.Fatalf("report = created %d updated %d unchanged %d rejected %v", r.Created, r.Updated, r.Unchanged, r.Rejected)
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Services != 738 || counts.Organizations != 239 {
		t.Fatalf("counts = %+v, want 738 services and 239 organisations", counts)
	}
	for _, w := range r.Warnings {
		t.Logf("warning: %+v", w)
	}

	// The first service of the feed, checked field by field after cleaning.
	svc, err := s.ServiceDetail(ctx, "738f94e0-aa6c-6a5c-2395-7b64421ba2a5")
	if err != nil {
		t.Fatal(err)
	}
	wantDesc := "Struggling with Drug & Alcohol Addiction? We Are With You provide free and confidential Services, without judgement, to people over the age of 18 facing challenges with drugs & alcohol.\n\n" +
		"We Are With You are now offering a drop in session at Victor House fourth Thursday of each month, please contact Victor House to make an appointment."
	if svc.Description != wantDesc {
		t.Errorf("description:\n got %q\nwant %q", svc.Description, wantDesc)
	}
	if svc.Organization.Name != "Victor House" || svc.Status != StatusActive || svc.LastVerified != "2024-12-10" || svc.LastVerifiedBy != "source" {
		t.Errorf("service = %+v", svc.Service)
	}
	if len(svc.ServiceAreas) != 1 || svc.ServiceAreas[0].ServiceArea != "North Lincolnshire" {
		t.Errorf("service areas = %+v", svc.ServiceAreas)
	}
	if svc.Provenance.Source != refdata.NorthLincsSource || svc.Provenance.SourceID != svc.ID || !svc.Provenance.ImportedAt.Equal(fixedNow) {
		t.Errorf("provenance = %+v", svc.Provenance)
	}

	// Importing the same feed again changes nothing.
	b2, _ := ParseORUK(refdata.NorthLincsServices)
	seqBefore, _ := s.LastChange(ctx)
	r2, err := s.Import(ctx, b2, ImportOptions{PrepareOptions: PrepareOptions{Source: refdata.NorthLincsSource, Area: refdata.NorthLincsArea}})
	if err != nil {
		t.Fatal(err)
	}
	seqAfter, _ := s.LastChange(ctx)
	if r2.Created != 0 || r2.Updated != 0 || r2.Unchanged != 738 || seqAfter != seqBefore {
		t.Fatalf("re-import: created %d updated %d unchanged %d, change log %d→%d", r2.Created, r2.Updated, r2.Unchanged, seqBefore, seqAfter)
	}
}
