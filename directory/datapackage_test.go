package directory

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestReadDatapackageExcerpt(t *testing.T) {
	b, err := ReadDatapackage("testdata/miami-excerpt")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Services) != 21 || len(b.Organizations) != 9 || len(b.Locations) != 21 || len(b.Taxonomies) != 74 || len(b.Rejected) != 0 {
		t.Fatalf("read %d services, %d organisations, %d locations, %d terms, %d rejected",
			len(b.Services), len(b.Organizations), len(b.Locations), len(b.Taxonomies), len(b.Rejected))
	}
	var warned []string
	for _, w := range b.Warnings {
		warned = append(warned, w.Kind+" "+w.ID+" "+w.Field)
	}
	want := []string{"eligibility row 2 service_id", "eligibility row 3 service_id", "eligibility row 4 service_id",
		"eligibility row 5 service_id", "eligibility row 6 service_id", "taxonomy FP-4000 id", "taxonomy FP-4500 id"}
	if strings.Join(warned, "|") != strings.Join(want, "|") {
		t.Errorf("warnings:\n%v\nwant\n%v", warned, want)
	}

	var girlScouts Service
	for _, s := range b.Services {
		if s.ID == "136" {
			girlScouts = s
		}
	}
	if girlScouts.OrganizationID != "136" || len(girlScouts.RegularSchedules) != 5 || girlScouts.RegularSchedules[0].OpensAt != "9:00am" ||
		len(girlScouts.Languages) != 3 || len(girlScouts.ServiceTaxonomys) != 3 || len(girlScouts.ServiceAtLocations) != 1 {
		t.Errorf("children of service 136: %+v", girlScouts)
	}
	var contacts []string
	for _, c := range girlScouts.Contacts {
		for _, p := range c.Phones {
			contacts = append(contacts, c.ID+"="+p.Number)
		}
	}
	if strings.Join(contacts, ",") != "136=305 4841,136-phones=305-253-4841" {
		t.Errorf("contacts and phones: %v", contacts)
	}
	for _, l := range b.Locations {
		if l.ID == "136" && (len(l.PhysicalAddresses) != 1 || l.PhysicalAddresses[0].PostalCode != "33157" || l.PhysicalAddresses[0].StateProvince != "FL ") {
			t.Errorf("address of location 136: %+v", l.PhysicalAddresses)
		}
	}
}

func TestImportDatapackageExcerpt(t *testing.T) {
	s, _ := openTestStore(t)
	b, err := ReadDatapackage("testdata/miami-excerpt")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Import(context.Background(), b, ImportOptions{PrepareOptions: PrepareOptions{Source: "miami"}})
	if err != nil {
		t.Fatal(err)
	}
	var rejected []string
	for _, p := range r.Rejected {
		rejected = append(rejected, p.ID+" "+p.Field)
	}
	sort.Strings(rejected)
	if r.Created != 18 || strings.Join(rejected, ",") != "6562 organization,6565 organization,6585 organization" {
		t.Errorf("created %d, rejected %v", r.Created, rejected)
	}
	d, err := s.ServiceDetail(context.Background(), "136")
	if err != nil {
		t.Fatal(err)
	}
	if d.RegularSchedules[0].OpensAt != "09:00" || d.RegularSchedules[0].ClosesAt != "17:00" || d.Organization.Provenance.SourceID != "136" {
		t.Errorf("service 136 after import: %+v", d.Service)
	}
	addr := d.ServiceAtLocations[0].Location.PhysicalAddresses[0]
	if addr.PostalCode != "33157" || addr.Country != "" || d.ServiceAtLocations[0].Location.Latitude != nil {
		t.Errorf("a US address must keep its ZIP code and not be made British: %+v", addr)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const miniPackage = `{"resources":[{"name":"organization","path":"organizations.csv"},{"name":"service","path":"services.csv"},{"name":"eligibility","path":"eligibility.csv"}]}`

func TestReadDatapackageColumnsByName(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"datapackage.json":  miniPackage,
		"organizations.csv": "name,id,description\nAshby Trust,o1,A charity\n",
		"services.csv":      "status,name,organization_id,id\nactive,Lunch Club,o1,s1\n",
		"eligibility.csv":   "maximum_age,service_id,minimum_age,id\n120,s1,18 years,e1\n",
	})
	b, err := ReadDatapackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := b.Services[0]
	if s.ID != "s1" || s.Name != "Lunch Club" || s.OrganizationID != "o1" || b.Organizations[0].Name != "Ashby Trust" ||
		len(s.Eligibilitys) != 1 || *s.Eligibilitys[0].MinimumAge != 18 || *s.Eligibilitys[0].MaximumAge != 120 {
		t.Errorf("shuffled columns read wrongly: %+v %+v", s, b.Organizations)
	}
}

func TestReadDatapackageRejectsAndErrors(t *testing.T) {
	t.Run("empty id and age in words", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"datapackage.json":  miniPackage,
			"organizations.csv": "id,name\no1,Org\n",
			"services.csv":      "id,name,organization_id\n,No Id,o1\ns2,Youth Club,o1\ns3,Fine,o1\n",
			"eligibility.csv":   "id,service_id,minimum_age,maximum_age\ne1,s2,eleven,18\n",
		})
		b, err := ReadDatapackage(dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range b.Rejected {
			got = append(got, p.ID+" "+p.Field)
		}
		if strings.Join(got, ",") != "row 2 id,s2 eligibilitys[0].minimum_age" || len(b.Services) != 1 || b.Services[0].ID != "s3" {
			t.Errorf("rejected %v, kept %d services", got, len(b.Services))
		}
	})
	t.Run("csv syntax error names the file", func(t *testing.T) {
		dir := writeFiles(t, map[string]string{
			"datapackage.json": miniPackage,
			"services.csv":     "id,name,organization_id\ns1,\"Unterminated,o1\ns2,B,o1\n",
		})
		_, err := ReadDatapackage(dir)
		if err == nil || !strings.Contains(err.Error(), "services.csv") {
			t.Errorf("want an error naming services.csv, got %v", err)
		}
	})
	t.Run("no datapackage.json", func(t *testing.T) {
		_, err := ReadDatapackage(t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "datapackage.json") {
			t.Errorf("want an error naming datapackage.json, got %v", err)
		}
	})
}

// A phone naming its contact must stay on it even when a service-level phone
// of the same service is added first.
func TestReadDatapackageKeepsContactPhones(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"datapackage.json": `{"resources":[{"name":"service","path":"services.csv"},{"name":"contact","path":"contacts.csv"},{"name":"phone","path":"phones.csv"}]}`,
		"services.csv":     "id,name,organization_id\ns1,Lunch Club,o1\n",
		"contacts.csv":     "id,service_id,name\nc1,s1,Ann\n",
		"phones.csv":       "id,service_id,contact_id,number\np1,s1,,01724 000001\np2,s1,c1,01724 000002\n",
	})
	b, err := ReadDatapackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, c := range b.Services[0].Contacts {
		for _, p := range c.Phones {
			got[c.ID] += p.Number
		}
	}
	if got["c1"] != "01724 000002" || got["s1-phones"] != "01724 000001" {
		t.Errorf("phones by contact: %v", got)
	}
}

// TestReadDatapackageFullMiami reads the whole Open211 Miami package when the
// shared reference data sits beside the repository (it is not shipped with it).
func TestReadDatapackageFullMiami(t *testing.T) {
	dir := "../../shared/data/miami"
	if _, err := os.Stat(dir); err != nil {
		t.Skip("the full Miami datapackage is not beside the repository (../shared/data/miami); the excerpt tests cover the reader")
	}
	b, err := ReadDatapackage(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Services) != 4089 || len(b.Organizations) != 1074 {
		t.Errorf("read %d services and %d organisations, want 4,089 and 1,074", len(b.Services), len(b.Organizations))
	}
}
