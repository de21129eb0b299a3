package dev.racelab.examples.shop;

import org.springframework.data.jpa.repository.JpaRepository;

public interface DoctorRepository extends JpaRepository<Doctor, Long> {
    long countByShiftAndOnCallTrue(long shift);
}
